import { permutation } from '../random.js';
import { NUM_CLASSES, PIXELS, type Split } from './types.js';

/** The seed scripts/make-sample.ts uses for the embedded sample. */
export const SAMPLE_SEED = 20170828; // Fashion-MNIST's arXiv date (2017-08-28)

/**
 * Indices of a class-balanced subset: walk a seeded permutation and keep the first `perClass`
 * images of each class, then sort them, so the subset keeps the original order of the set.
 * Throws if a class has fewer than `perClass` images.
 */
export function selectBalanced(labels: Uint8Array, perClass: number, seed: number): Uint32Array {
  const taken = new Array<number>(NUM_CLASSES).fill(0);
  const picked: number[] = [];
  for (const i of permutation(labels.length, seed)) {
    const c = labels[i];
    if (taken[c] < perClass) {
      taken[c]++;
      picked.push(i);
      if (picked.length === perClass * NUM_CLASSES) break;
    }
  }
  if (picked.length !== perClass * NUM_CLASSES)
    throw new Error(`cannot pick ${perClass} images per class: class counts are ${taken.join(', ')}`);
  return Uint32Array.from(picked.sort((a, b) => a - b));
}

/** Copy the chosen images and labels, in the given order, into a new Split. */
export function subsetSplit(split: Split, indices: ArrayLike<number>): Split {
  const count = indices.length;
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let dst = 0; dst < count; dst++) {
    const src = indices[dst];
    images.set(split.images.subarray(src * PIXELS, (src + 1) * PIXELS), dst * PIXELS);
    labels[dst] = split.labels[src];
  }
  return { images, labels, count };
}
