import { PIXELS, type Split } from '../core/dataset/types.js';
import type { TrainBatch } from '../core/train/engine.js';

/**
 * Copy `count` examples of `split`, chosen by `order[start … start+count)` (wrapping around),
 * into one TrainBatch.
 */
export function gatherBatch(
  split: Split,
  order: ArrayLike<number>,
  start: number,
  count: number,
  learningRate: number,
  dropoutSeed: number,
): TrainBatch {
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const i = order[(start + k) % order.length];
    images.set(split.images.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    labels[k] = split.labels[i];
  }
  return { images, labels, count, learningRate, dropoutSeed };
}

/** A split restricted to some of its examples (copied, in the given order). */
export function selectExamples(split: Split, indices: ArrayLike<number>): Split {
  const b = gatherBatch(split, indices, 0, indices.length, 0, 0);
  return { images: b.images, labels: b.labels, count: b.count };
}
