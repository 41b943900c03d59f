// `fmnist-tui train --save`: the folder checked and locked before training, then written from the
// engine's state after it (its checkpoint kept if the save fails).
import { UsageError, UserError } from '../core/errors.js';
import { parameterInfo, type ModelSpec } from '../core/model/spec.js';
import { tensorSize } from '../core/tensors.js';
import type { Dataset } from '../core/dataset/types.js';
import type { Engine } from '../core/train/engine.js';
import type { TrainingEvent } from '../core/train/events.js';
import type { Hyperparameters } from '../core/train/hyperparameters.js';
import type { RunState } from '../io/run-state.js';
import type { SaveReport } from '../io/save-report.js';
import { RunFolderExistsError, type RunLock } from '../io/run-folder-store.js';
import { writeLine, type CommandContext } from './context.js';

/**
 * Before any training: the --save folder can be written, holds no run (unless --force), has room,
 * and is locked for this process until the run is saved.
 */
export async function prepareSave(dir: string, force: boolean, spec: ModelSpec): Promise<RunLock> {
  const { prepareRunFolder, estimateRunBytes } = await import('../io/run-folder-prepare.js');
  const parameterCount = parameterInfo(spec).reduce((n, p) => n + tensorSize(p.shape), 0);
  try {
    return await prepareRunFolder(dir, { overwrite: force, estimatedBytes: estimateRunBytes(parameterCount) });
  } catch (err) {
    if (err instanceof RunFolderExistsError)
      throw new UsageError(
        `--save ${dir}: ${err.file} already exists there; pass --force to replace the run, or choose another folder`,
      );
    throw err;
  }
}

/** Writes the run folder from the engine's current state, reporting on stderr. */
export async function saveTo(
  dir: string,
  end: Extract<TrainingEvent, { type: 'trainEnd' }>,
  run: {
    spec: ModelSpec;
    hyperparameters: Hyperparameters;
    dataset: Dataset;
    engine: Engine;
    best?: RunState['best'];
    exportFrom: 'best' | 'last';
  },
  ctx: CommandContext,
  options: { overwrite: boolean; lock: RunLock },
): Promise<SaveReport> {
  writeLine(ctx.stderr, `saving to ${dir}/ …`);
  // Loaded only when saving: the exporter and onnxruntime are not needed to train.
  const { saveRun } = await import('../io/run-folder.js');
  const state: RunState = {
    ...run,
    hyperparameters: end.hyperparameters ?? run.hyperparameters,
    parameters: await run.engine.getParameters(),
    optimizerState: await run.engine.getOptimizerState(),
    epoch: end.epochsCompleted,
    step: end.step ?? 0,
    history: end.history,
  };
  // model.onnx from the best epoch: verification compares it with the engine, so the engine holds those weights now.
  if (state.best && state.exportFrom === 'best') await run.engine.setParameters(state.best.parameters);
  try {
    return await saveRun(dir, state, options);
  } catch (err) {
    // The training is the expensive part: keep its checkpoint where it can be found.
    const { rescueCheckpoint } = await import('../io/run-folder-prepare.js');
    const kept = await rescueCheckpoint(dir, state);
    const message = err instanceof Error ? err.message : String(err);
    if (!kept) throw err;
    throw new UserError(
      `${message}; the trained model's checkpoint is kept at ${kept} ` +
        `(continue with: fmnist-tui train --resume ${kept} --save <folder>)`,
      { cause: err },
    );
  }
}
