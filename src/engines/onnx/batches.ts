import { PIXELS } from '../../core/dataset/types.js';
import { stackModules, type ModelSpec } from '../../core/model/spec.js';
import { tensorSize } from '../../core/tensors.js';
import type { TrainBatch } from '../../core/train/engine.js';

/** Throws unless every batch has a whole count of at least 1 and enough pixels and labels for it. */
export function checkTrainBatches(batches: readonly TrainBatch[]): void {
  for (let s = 0; s < batches.length; s++) {
    const b = batches[s];
    if (!(Number.isInteger(b.count) && b.count >= 1) || b.images.length < b.count * PIXELS || b.labels.length < b.count)
      throw new Error(
        `trainSteps: batch ${s} has ${b.images.length} pixels and ${b.labels.length} labels for count ${b.count}`,
      );
  }
}

/**
 * Where the Loop run that starts at `start` ends: consecutive batches of one size, at most `cap`
 * of them, split into runs of equal length (16 at a cap of 5 run as 4 × 4, not 5 + 5 + 5 + 1:
 * every run has a fixed cost).
 */
export function runEnd(batches: readonly Pick<TrainBatch, 'count'>[], start: number, cap: number): number {
  let same = start + 1;
  while (same < batches.length && batches[same].count === batches[start].count) same++;
  const n = same - start;
  return start + Math.ceil(n / Math.ceil(n / Math.max(1, Math.floor(cap))));
}

/** Values of the largest layer output an evaluation run may hold per image-chunk (8 Mi floats, 32 MB). */
const EVAL_VALUES = 1 << 23;

/**
 * Images per evaluation run: 2048, fewer when one image's largest layer output is big, so a
 * run's activations stay within EVAL_VALUES (a 32-channel 28×28 Conv2d took 2048 images to
 * 205 MB per tensor and the process past 1.2 GB; the speed is the same from ~128 images up).
 */
export function evalChunkFor(spec: ModelSpec): number {
  const largest = Math.max(PIXELS, ...stackModules(spec).map((m) => tensorSize(m.outShape)));
  return Math.max(64, Math.min(2048, Math.floor(EVAL_VALUES / largest)));
}
