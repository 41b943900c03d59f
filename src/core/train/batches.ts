import { PIXELS, type Split } from '../dataset/types.js';
import { deriveSeed, permutation } from '../random.js';
import { subsetSplit } from '../dataset/sample.js';

// Separate tags so the shuffle and dropout streams never share a seed.
const SHUFFLE_STREAM = 0x5348;
const DROPOUT_STREAM = 0x4452;

/** Seed of epoch `epoch`'s shuffle order: depends only on the run's seed and the epoch (1-based). */
export function shuffleSeed(seed: number, epoch: number): number {
  return deriveSeed(deriveSeed(seed, SHUFFLE_STREAM), epoch);
}

/** Seed of the dropout masks of global step `step`: a resumed run draws the same masks. */
export function dropoutSeed(seed: number, step: number): number {
  return deriveSeed(deriveSeed(seed, DROPOUT_STREAM), step);
}

/**
 * The order images are visited in during `epoch`: undefined for the seed's DataLoader
 * (no shuffle: 0, 1, 2, …), else a permutation derived from seed and epoch.
 */
export function epochOrder(size: number, shuffle: boolean, seed: number, epoch: number): Uint32Array | undefined {
  return shuffle ? permutation(size, shuffleSeed(seed, epoch)) : undefined;
}

export interface BatchData {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

/**
 * Batch `index` of an epoch, like DataLoader(drop_last=False): the last batch holds the
 * remainder. Without an order the batch is a view (no copy); with one it is gathered.
 */
export function batchAt(split: Split, batchSize: number, index: number, order?: Uint32Array): BatchData {
  const start = index * batchSize;
  const end = Math.min(start + batchSize, split.count);
  const count = end - start;
  if (count <= 0) throw new RangeError(`batch ${index} is past the end of a split of ${split.count}`);
  if (!order) {
    return {
      images: split.images.subarray(start * PIXELS, end * PIXELS),
      labels: split.labels.subarray(start, end),
      count,
    };
  }
  return subsetSplit(split, order.subarray(start, end));
}
