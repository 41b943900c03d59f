// The training state a run folder is written from, and what its checkpoint and metrics.json hold.
import type { Dataset } from '../core/dataset/types.js';
import type { NamedTensors } from '../core/tensors.js';
import type { Engine } from '../core/train/engine.js';
import { VERSION } from '../version.js';
import { encodeCheckpoint, type Checkpoint } from './checkpoint.js';

/** metrics.json layout version (the app version is written beside it). */
export const METRICS_FORMAT = 1;

/** The training state a run folder is written from: a checkpoint's fields plus the live engine and data. */
export interface RunState
  extends Pick<
    Checkpoint,
    'spec' | 'hyperparameters' | 'parameters' | 'optimizerState' | 'epoch' | 'step' | 'history'
  > {
  readonly dataset: Dataset;
  /**
   * The engine holding the model model.onnx is made from (the best epoch's weights when those
   * are exported): its predict() is the reference for verification.
   */
  readonly engine: Engine;
  /** --early-stop: the best epoch's weights, written as best.safetensors. */
  readonly best?: { readonly epoch: number; readonly parameters: NamedTensors };
  /** Which weights model.onnx is made from when there is a best epoch (default best, like --export). */
  readonly exportFrom?: 'best' | 'last';
}

/** The weights model.onnx is made from, and that epoch's test accuracy. */
export function exportedWeights(run: RunState): { parameters: NamedTensors; epoch: number; testAccuracy?: number } {
  const epoch = run.best && run.exportFrom !== 'last' ? run.best.epoch : run.epoch;
  const parameters = run.best && run.exportFrom !== 'last' ? run.best.parameters : run.parameters;
  return { parameters, epoch, testAccuracy: run.history.find((m) => m.epoch === epoch)?.testAccuracy };
}

/** The checkpoint bytes of a run (also what a failed save rescues). */
export function encodeRunCheckpoint(run: RunState): Uint8Array {
  return encodeCheckpoint({
    spec: run.spec,
    hyperparameters: run.hyperparameters,
    parameters: run.parameters,
    optimizerState: run.optimizerState,
    epoch: run.epoch,
    step: run.step,
    history: run.history,
    datasetFingerprint: run.dataset.fingerprint,
    engine: run.engine.name,
  });
}

/** metrics.json: spec, hyperparameters, engine, data and the per-epoch history. */
export function metricsJson(run: RunState): string {
  const json = {
    format: METRICS_FORMAT,
    version: VERSION,
    spec: run.spec,
    hyperparameters: run.hyperparameters,
    engine: run.engine.name,
    backend: run.engine.backend,
    epochsCompleted: run.epoch,
    steps: run.step,
    data: {
      source: run.dataset.source.description,
      subset: run.dataset.source.subset,
      fingerprint: run.dataset.fingerprint,
    },
    history: run.history,
  };
  // JSON has no NaN/Infinity (a diverged run's loss): written as strings.
  return `${JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}
