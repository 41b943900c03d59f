// Train flags → what a run is (model, hyperparameters, engine, files), validated before any work.
import { hasAugment, parseAugment } from '../core/train/augment.js';
import { UsageError } from '../core/errors.js';
import { type ModelSpec, PRESET_NAMES, PRESETS, type PresetName } from '../core/model/spec.js';
import { ENGINE_NAMES, type EngineName } from '../core/train/engine.js';
import {
  type Hyperparameters,
  LOSSES,
  OPTIMIZERS,
  type Schedule,
  SCHEDULES,
  SEED_HYPERPARAMETERS,
  stepsPerEpoch,
  validateHyperparameters,
} from '../core/train/hyperparameters.js';
import { DEFAULT_ENGINE, FULL_TRAIN_SIZE } from './defaults.js';
import { TRAIN_FLAG_OPTIONS, type TrainFlagValues } from './flag-lookup.js';
import type { TrainFlagName } from './flags.js';
import { parseChoice, parseFlags, parseInteger, parseNumber } from './parse-args.js';
import { buildSpec } from './model-flags.js';
import { buildOptimizer, checkOwners } from './optimizer-flags.js';
import { buildSchedule, checkValidation, parseHeldOut, parseWarmup, withWarmup } from './schedule-flags.js';
import { withPresetTraining } from './preset-training.js';
import { helpPointer as pointer } from './parse-args.js';

/** Longest run the flags accept: a full-data epoch takes a second or more, so this is hours already. */
export const MAX_EPOCHS = 10_000;

/** Everything `fmnist-tui train` was asked to do, as plain data (the session prefills its forms from it). */
export interface TrainConfig {
  /** The preset the model started from (flags may have changed it since). */
  readonly preset: PresetName;
  readonly spec: ModelSpec;
  /**
   * Hyperparameters, validated against the full training set. A step schedule's stepSize is
   * in optimizer steps for the full set; resolveHyperparameters() redoes it for the data loaded.
   */
  readonly hyperparameters: Hyperparameters;
  /** --step-size in epochs (step schedule only). */
  readonly stepSizeEpochs?: number;
  /** --warmup-epochs (any schedule but onecycle); resolveHyperparameters() makes it steps of the data loaded. */
  readonly warmupEpochs?: number;
  readonly engine: EngineName;
  /** --data-dir */
  readonly dataDir?: string;
  /** --init-weights: a safetensors weights file to start from. */
  readonly initWeights?: string;
  /** --save: the run folder; '' means the default ./runs/<timestamp>/. Absent: don't save. */
  readonly save?: string;
  /** --resume: a checkpoint to continue from. */
  readonly resume?: string;
  readonly force: boolean;
  readonly json: boolean;
  /** --export: which weights model.onnx is made from with --save and --early-stop (default best). */
  readonly exportWeights: 'best' | 'last';
  /** The flags given on the command line (without dashes), e.g. ['epochs', 'lr']. */
  readonly explicit: readonly TrainFlagName[];
}

/** What flags that are not given keep: the seed program, or (in the session) the remembered settings. */
export interface RunBase {
  readonly spec: ModelSpec;
  readonly hyperparameters: Hyperparameters;
  readonly engine: EngineName;
}

export const SEED_RUN: RunBase = { spec: PRESETS.seed, hyperparameters: SEED_HYPERPARAMETERS, engine: DEFAULT_ENGINE };

/** util.parseArgs on the train flags (`--save` may come without a folder); every error is one line. */
export function parseTrainArgs(argv: readonly string[], command = 'train'): TrainFlagValues {
  return parseFlags(command, argv, TRAIN_FLAG_OPTIONS, { optionalValue: ['save'] }).values as TrainFlagValues;
}

/**
 * Turns parsed flag values into a validated TrainConfig; the first invalid value throws a one-line
 * UsageError (exit 2) before any work. What no flag names comes from `base` (default: the seed program);
 * --preset starts the model over from that preset.
 */
export function trainConfigFromValues(
  values: TrainFlagValues,
  { command = 'train', base = SEED_RUN }: { command?: string; base?: RunBase } = {},
): TrainConfig {
  const explicit = (Object.keys(values) as TrainFlagName[]).filter((k) => values[k] !== undefined && k !== 'help');
  const preset = parseChoice('--preset', values.preset, PRESET_NAMES, 'seed');
  // A preset named on the command line brings its own training settings; flags still win.
  const hp0 = values.preset !== undefined ? withPresetTraining(base.hyperparameters, preset) : base.hyperparameters;
  const loss = parseChoice('--loss', values.loss, LOSSES, hp0.loss);
  const optimizerKind = parseChoice('--optimizer', values.optimizer, OPTIMIZERS, hp0.optimizer.kind);
  const scheduleKind = parseChoice('--schedule', values.schedule, SCHEDULES, hp0.schedule.kind);
  const engine = parseChoice('--engine', values.engine, ENGINE_NAMES, base.engine);
  const spec = buildSpec(values, values.preset !== undefined ? PRESETS[preset] : base.spec, loss);

  const learningRate = parseNumber('--lr', values.lr, hp0.learningRate);
  const batchSize = parseInteger('--batch-size', values['batch-size'], hp0.batchSize);
  const epochs = parseInteger('--epochs', values.epochs, hp0.epochs);
  const seed = parseInteger('--seed', values.seed, hp0.seed);
  const { heldOut, exportWeights } = parseHeldOut(values, hp0);
  const labelSmoothing = parseNumber('--label-smoothing', values['label-smoothing'], hp0.labelSmoothing ?? 0);
  const augment = values.augment === undefined ? hp0.augment : parseAugment(values.augment);
  // Checked before building the schedule, which divides by the batch size.
  validateHyperparameters({ ...SEED_HYPERPARAMETERS, learningRate, batchSize, epochs, seed }, FULL_TRAIN_SIZE);
  if (epochs > MAX_EPOCHS)
    throw new UsageError(`--epochs ${epochs} is more than ${MAX_EPOCHS}; give fewer (a full-data epoch takes seconds)`);
  checkOwners(values, optimizerKind, scheduleKind);
  const optimizer = buildOptimizer(values, optimizerKind, hp0.optimizer);
  const built = buildSchedule(values, scheduleKind, hp0.schedule, { learningRate, batchSize });
  const { stepSizeEpochs } = built;
  const warmupEpochs = parseWarmup(values['warmup-epochs'], scheduleKind, epochs);
  const schedule = withWarmup(built.schedule, warmupEpochs, stepsPerEpoch(FULL_TRAIN_SIZE, batchSize));
  const hyperparameters = validateHyperparameters(
    {
      learningRate,
      batchSize,
      epochs,
      optimizer,
      loss,
      schedule,
      shuffle: values.shuffle ?? hp0.shuffle,
      seed,
      // Set only when not 0: hyperparameters without it keep the seed program's shape.
      ...(labelSmoothing !== 0 && { labelSmoothing }),
      ...(hasAugment(augment) && { augment }),
      ...heldOut,
    },
    FULL_TRAIN_SIZE,
  );

  const path = (name: 'data-dir' | 'init-weights' | 'resume') => {
    const v = values[name];
    if (v !== undefined && v.trim() === '') throw new UsageError(`--${name} needs a path ${pointer(command)}`);
    return v;
  };
  const resume = path('resume');
  const initWeights = path('init-weights');
  if (resume !== undefined && initWeights !== undefined)
    throw new UsageError('--resume and --init-weights both set the starting weights; give one of them');
  return {
    preset,
    spec,
    hyperparameters,
    stepSizeEpochs,
    ...(warmupEpochs !== undefined && { warmupEpochs }),
    engine,
    dataDir: path('data-dir'),
    initWeights,
    save: values.save,
    resume,
    force: values.force ?? false,
    json: values.json ?? false,
    exportWeights,
    explicit,
  };
}

/** Parses `fmnist-tui train` arguments: { help } for --help, else the validated config. */
export function parseTrainFlags(
  argv: readonly string[],
  options: { command?: string; base?: RunBase } = {},
): { help: boolean; config: TrainConfig } {
  const values = parseTrainArgs(argv, options.command);
  if (values.help) return { help: true, config: trainConfigFromValues({}, options) };
  return { help: false, config: trainConfigFromValues(values, options) };
}

/**
 * The hyperparameters for the data actually loaded: checks the batch size against its
 * training set and converts a step schedule's --step-size (epochs) into optimizer steps.
 */
export function resolveHyperparameters(
  config: Pick<TrainConfig, 'hyperparameters' | 'stepSizeEpochs' | 'warmupEpochs'>,
  trainSize: number,
): Hyperparameters {
  const hp = config.hyperparameters;
  checkValidation(hp.validation, trainSize);
  // Steps count the images trained on: the training set without the validation split.
  trainSize -= hp.validation ?? 0;
  const perEpoch = stepsPerEpoch(trainSize, hp.batchSize);
  const schedule: Schedule =
    hp.schedule.kind === 'step' && config.stepSizeEpochs !== undefined
      ? { ...hp.schedule, stepSize: config.stepSizeEpochs * perEpoch }
      : hp.schedule;
  return validateHyperparameters({ ...hp, schedule: withWarmup(schedule, config.warmupEpochs, perEpoch) }, trainSize);
}
