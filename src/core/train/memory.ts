/**
 * How much memory training a model needs, roughly, so a model that cannot fit is refused with
 * the figures before the machine starts swapping (`--hidden 8192×8 --optimizer adam` passed
 * 14 GB in 49 s). Pure: the caller passes the machine's figures.
 *
 * Counted in float32 copies of the parameters (weights, gradients, the step's inputs and outputs,
 * the JS side's copy, each optimizer buffer several times over: calibrated below), plus the
 * activations of one batch kept for the backward pass.
 */
import { parameterInfo, type ModelSpec } from '../model/spec.js';
import { tensorSize } from '../tensors.js';
import { isAdam, type Hyperparameters } from './hyperparameters.js';
import { UsageError } from '../errors.js';

const GB = 1e9;

/** Buffers per parameter, as torch.optim keeps them. */
export function optimizerBuffers(hp: Hyperparameters): number {
  const o = hp.optimizer;
  if (o.kind === 'sgd') return o.momentum > 0 ? 1 : 0;
  if (isAdam(o)) return o.amsgrad ? 3 : 2;
  return 1 + (o.momentum > 0 ? 1 : 0) + (o.centered ? 1 : 0);
}

export interface MemoryEstimate {
  readonly parameters: number;
  readonly bytes: number;
}

export function estimateTrainingMemory(spec: ModelSpec, hp: Hyperparameters): MemoryEstimate {
  const parameters = parameterInfo(spec).reduce((n, p) => n + tensorSize(p.shape), 0);
  // Measured (2026-12-02, onnx engine, --hidden 2048,2048,2048,2048 = 14.2 M parameters, 57 MB a
  // copy, 1 epoch): peak RSS above an empty run was 396 MB with SGD (~7 copies) and 868 MB with
  // Adam (~15): every step's inputs and outputs hold the weights and each buffer again.
  const copies = 7 + 4 * optimizerBuffers(hp);
  // Per image: the input and, per hidden unit, pre-activation, activation, mask and gradient.
  const units = spec.hidden.reduce((n, l) => n + l.units, 0);
  const perImage = (784 + 4 * units + 10) * 4;
  // Convolutional layer lists: their feature maps are not in `hidden`; allow 64 kB an image.
  const layerLists = (spec as { layers?: readonly unknown[] }).layers ? 65_536 : 0;
  // Evaluation runs the test split in batches of up to 1,000 images.
  const batch = Math.max(hp.batchSize, 1000);
  return { parameters, bytes: parameters * 4 * copies + batch * (perImage + layerLists) };
}

/**
 * Refuse what will not fit: more than ~90% of the machine's memory (or of the memory limit the
 * process runs under). One line with both figures.
 */
export function assertFitsInMemory(estimate: MemoryEstimate, machineBytes: number): void {
  if (estimate.bytes <= 0.9 * machineBytes) return;
  throw new UsageError(
    `this model (${(estimate.parameters / 1e6).toFixed(0)} million parameters) needs ~${(estimate.bytes / GB).toFixed(1)} GB ` +
      `to train, this machine has ${(machineBytes / GB).toFixed(1)} GB; choose fewer or smaller hidden layers ` +
      '(or SGD without momentum, which keeps no extra buffers)',
  );
}
