// Where `fmnist-tui train` starts: a checkpoint (--resume, with the flags that may change), saved
// weights (--init-weights) or a fresh seeded init; and a resumed early-stopped run's best epoch so far.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { ModelSpec } from '../core/model/spec.js';
import type { NamedTensors } from '../core/tensors.js';
import type { OptimizerState } from '../core/train/engine.js';
import type { EpochMetrics } from '../core/train/events.js';
import type { Hyperparameters } from '../core/train/hyperparameters.js';
import { BestEpoch } from '../core/train/held-out.js';
import { readCheckpoint, type Checkpoint } from '../io/checkpoint.js';
import type { RunState } from '../io/run-state.js';
import { RUN_FILES } from '../io/run-folder-files.js';
import { readWeights } from '../io/safetensors.js';
import type { TrainConfig, TrainFlagName } from '../config/index.js';

/** Flags that may accompany --resume: everything else comes from the checkpoint. */
const RESUME_FLAGS: readonly TrainFlagName[] = ['resume', 'epochs', 'engine', 'data-dir', 'save', 'force', 'json'];

/**
 * Resuming an early-stopped run: its best epoch so far may predate the resume; its weights are the
 * best.safetensors beside the checkpoint (when the run was saved with --early-stop).
 */
export async function resumedBest(
  resume: string | undefined,
  history: readonly EpochMetrics[] | undefined,
  spec: ModelSpec,
  hp: Hyperparameters,
): Promise<RunState['best']> {
  if (resume === undefined || !hp.earlyStop || !history?.length) return undefined;
  const path = join(dirname(resume), RUN_FILES.best);
  if (!existsSync(path)) return undefined;
  const tracker = new BestEpoch(hp.earlyStop.monitor);
  for (const m of history) tracker.update(m);
  return { epoch: tracker.epoch, parameters: (await readWeights(path, spec)).parameters };
}

export interface StartingPoint {
  readonly spec: ModelSpec;
  readonly parameters?: NamedTensors;
  readonly optimizerState?: OptimizerState;
  readonly hyperparameters: Hyperparameters;
  readonly startEpoch: number;
  readonly startStep?: number;
  readonly history: readonly EpochMetrics[];
  readonly checkpoint?: Checkpoint;
}

/** Where training starts: a checkpoint (--resume), saved weights (--init-weights) or a fresh seeded init. */
export async function startingPoint(config: TrainConfig): Promise<StartingPoint> {
  if (config.resume !== undefined) {
    const clash = config.explicit.filter((f) => !RESUME_FLAGS.includes(f));
    if (clash.length > 0)
      throw new UsageError(
        `--${clash[0]} cannot change when resuming: the checkpoint holds the model and hyperparameters ` +
          '(only --epochs, --engine, --data-dir, --save, --force and --json may be given)',
      );
    const checkpoint = await readCheckpoint(config.resume);
    const epochs = config.explicit.includes('epochs')
      ? config.hyperparameters.epochs
      : checkpoint.hyperparameters.epochs;
    if (checkpoint.epoch >= epochs)
      throw new UsageError(
        `${config.resume} has already trained ${checkpoint.epoch} of ${epochs} epochs; ` +
          `pass --epochs with a larger total (e.g. --epochs ${checkpoint.epoch + 5}) to train further`,
      );
    return {
      spec: checkpoint.spec,
      parameters: checkpoint.parameters,
      optimizerState: checkpoint.optimizerState,
      hyperparameters: { ...checkpoint.hyperparameters, epochs },
      startEpoch: checkpoint.epoch + 1,
      startStep: checkpoint.step,
      history: checkpoint.history,
      checkpoint,
    };
  }
  const parameters =
    config.initWeights !== undefined ? (await readWeights(config.initWeights, config.spec)).parameters : undefined;
  return { spec: config.spec, parameters, hyperparameters: config.hyperparameters, startEpoch: 1, history: [] };
}
