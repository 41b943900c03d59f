import { UsageError } from '../core/errors.js';
import { type Hyperparameters, MONITORS, type Schedule, stepsPerEpoch } from '../core/train/hyperparameters.js';
import { DEFAULT_GAMMA, DEFAULT_STEP_EPOCHS, FULL_TRAIN_SIZE } from './defaults.js';
import type { TrainFlagValues } from './flag-lookup.js';
import { parseChoice, parseInteger, parseNumber } from './parse-args.js';

import { helpPointer as pointer } from './parse-args.js';

export function buildSchedule(
  values: TrainFlagValues,
  kind: Schedule['kind'],
  base: Schedule,
  { learningRate, batchSize }: { learningRate: number; batchSize: number },
): { schedule: Schedule; stepSizeEpochs?: number } {
  // A remembered schedule of the same kind keeps its options (and warm-up) unless flags name them.
  if (kind === 'constant' || kind === 'onecycle') return { schedule: base.kind === kind ? base : { kind } };
  if (kind === 'cosine') {
    const b = base.kind === 'cosine' ? base : { kind, tMax: 0, etaMin: 0 };
    const etaMin = parseNumber('--eta-min', values['eta-min'], b.etaMin);
    if (etaMin > learningRate)
      throw new UsageError(
        `--eta-min ${etaMin} is above the learning rate ${learningRate}: cosine would raise it; give an --eta-min below --lr`,
      );
    return { schedule: { ...b, etaMin } };
  }
  const gamma = parseNumber('--gamma', values.gamma, base.kind === 'step' ? base.gamma : DEFAULT_GAMMA);
  // A remembered step schedule keeps its size in steps unless --step-size (in epochs) is given.
  if (base.kind === 'step' && values['step-size'] === undefined) return { schedule: { ...base, gamma } };
  const stepSizeEpochs = parseInteger('--step-size', values['step-size'], DEFAULT_STEP_EPOCHS);
  if (stepSizeEpochs < 1)
    throw new UsageError(`--step-size must be a whole number of epochs of at least 1 (got ${stepSizeEpochs})`);
  const stepSize = stepSizeEpochs * stepsPerEpoch(FULL_TRAIN_SIZE, batchSize);
  return { schedule: { kind, stepSize, gamma }, stepSizeEpochs };
}

export function parseWarmup(value: string | undefined, kind: Schedule['kind'], epochs: number): number | undefined {
  if (value === undefined) return undefined;
  const warmup = parseNumber('--warmup-epochs', value, 0);
  if (kind === 'onecycle')
    throw new UsageError(
      `--warmup-epochs does not apply to --schedule onecycle (it warms up itself) ${pointer('train')}`,
    );
  if (warmup < 0 || warmup >= epochs)
    throw new UsageError(`--warmup-epochs must be at least 0 and fewer than --epochs ${epochs} (got ${warmup})`);
  return warmup;
}

/** The schedule with `warmupEpochs` of linear warm-up (rounded to whole steps) before it. */
export function withWarmup(schedule: Schedule, warmupEpochs: number | undefined, perEpoch: number): Schedule {
  if (warmupEpochs === undefined || schedule.kind === 'onecycle') return schedule;
  return { ...schedule, warmupSteps: Math.round(warmupEpochs * perEpoch) };
}

export function checkValidation(validation: number | undefined, trainSize: number): void {
  if (validation !== undefined && validation >= trainSize)
    throw new UsageError(`--val ${validation} leaves nothing to train on (the training set has ${trainSize} images)`);
}

/** --val, --early-stop and --monitor (over the base's), and --export. */
export function parseHeldOut(values: TrainFlagValues, hp0: Hyperparameters) {
  const validation = values.val === undefined ? hp0.validation : parseInteger('--val', values.val, 0);
  checkValidation(validation, FULL_TRAIN_SIZE);
  const patience =
    values['early-stop'] === undefined
      ? hp0.earlyStop?.patience
      : parseInteger('--early-stop', values['early-stop'], 0);
  if (values.monitor !== undefined && patience === undefined)
    throw new UsageError(
      `--monitor chooses what --early-stop watches; give --early-stop PATIENCE too ${pointer('train')}`,
    );
  const monitor = parseChoice('--monitor', values.monitor, MONITORS, hp0.earlyStop?.monitor ?? 'loss');
  const exportWeights = parseChoice('--export', values.export, ['best', 'last'] as const, 'best');
  if (values.export !== undefined && (values.save === undefined || patience === undefined))
    throw new UsageError(
      `--export chooses the best or last epoch's weights for --save with --early-stop ${pointer('train')}`,
    );
  return {
    exportWeights,
    // Set only when given: hyperparameters without these keep the seed program's shape.
    heldOut: {
      ...(validation !== undefined && { validation }),
      ...(patience !== undefined && { earlyStop: { patience, monitor } }),
    },
  };
}
