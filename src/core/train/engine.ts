import type { ModelSpec } from '../model/spec.js';
import type { NamedTensors } from '../tensors.js';
import type { Hyperparameters, LossName, OptimizerOptions } from './hyperparameters.js';

export const ENGINE_NAMES = ['onnx', 'tfjs'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** One optimizer step's input: `count` images (uint8, count*784) and labels (uint8 0..9). */
export interface TrainBatch {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  /** Learning rate for this step (schedules and live changes are resolved by the caller). */
  readonly learningRate: number;
  /** Seeds this step's dropout masks, so a resumed run draws the same masks. */
  readonly dropoutSeed: number;
  /** With cycleMomentum: this step's momentum (SGD, RMSprop) or beta1 (Adam, AdamW). */
  readonly momentum?: number;
}

export interface EvaluationResult {
  /** Per-sample loss (same definition as training's loss, before the batch mean). */
  readonly losses: Float32Array;
  /** argmax of the model output per sample. */
  readonly predictions: Uint8Array;
}

/** Optimizer state: the step count (Adam's bias correction) and named buffers. */
export interface OptimizerState {
  readonly step: number;
  /** Keys are `<buffer>/<parameter name>`, e.g. `exp_avg/linear_relu_stack.0.weight`
   *  (torch.optim's names: momentum_buffer, exp_avg, exp_avg_sq, max_exp_avg_sq, square_avg, grad_avg). */
  readonly tensors: NamedTensors;
}

export interface EngineOptions {
  readonly spec: ModelSpec;
  readonly loss: LossName;
  /** Cross-entropy's label smoothing (Hyperparameters.labelSmoothing); default 0. */
  readonly labelSmoothing?: number;
  readonly optimizer: OptimizerOptions;
  /**
   * The schedule sets the momentum / beta1 of every step (TrainBatch.momentum), as torch's
   * OneCycleLR does: the optimizer's own value is not used. Default false.
   */
  readonly cycleMomentum?: boolean;
  /** Initial parameters in state_dict order (from initParameters or --init-weights). */
  readonly parameters: NamedTensors;
}

/**
 * A training engine: the ONNX (onnxruntime-node) engine is the default, TF.js the second.
 * Every method is async so an engine may run in a worker thread; no single call may block
 * the event loop for long (the TUI must keep drawing and reading keys).
 */
export interface Engine {
  readonly name: EngineName;
  /** What runs the maths, shown to the user, e.g. "onnxruntime-node 1.30.0 (cpu, 2 threads)". */
  readonly backend: string;
  /** Consecutive optimizer steps; resolves with each step's (batch-mean) loss. */
  trainSteps(batches: readonly TrainBatch[]): Promise<Float32Array>;
  /** Eval mode (no dropout) over `count` images, any count. */
  evaluate(images: Uint8Array, labels: Uint8Array, count: number): Promise<EvaluationResult>;
  /** Eval-mode model output for `count` images (uint8 pixels, scaled by 1/255 inside). */
  predict(images: Uint8Array, count: number): Promise<Float32Array>;
  getParameters(): Promise<NamedTensors>;
  setParameters(parameters: NamedTensors): Promise<void>;
  getOptimizerState(): Promise<OptimizerState>;
  setOptimizerState(state: OptimizerState): Promise<void>;
  dispose(): Promise<void>;
}

export type EngineFactory = (options: EngineOptions) => Promise<Engine>;

/** An engine's options for a model and its hyperparameters (the loss, label smoothing, optimizer, schedule). */
export function engineOptionsFor(spec: ModelSpec, hp: Hyperparameters, parameters: NamedTensors): EngineOptions {
  return {
    spec,
    loss: hp.loss,
    ...(hp.labelSmoothing && { labelSmoothing: hp.labelSmoothing }),
    optimizer: hp.optimizer,
    ...(hp.schedule.kind === 'onecycle' && { cycleMomentum: true }),
    parameters,
  };
}
