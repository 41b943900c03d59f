import { UsageError } from '../errors.js';
import { NUM_CLASSES } from '../dataset/types.js';
import { deriveSeed, permutation } from '../random.js';

/**
 * A class-balanced, seeded subset of a split: `size` indices, size/10 per class (the remainder
 * goes one each to the lowest labels), drawn without replacement, returned in ascending order.
 */
export function balancedSubsetIndices(labels: Uint8Array, size: number, seed: number): Uint32Array {
  const byClass: number[][] = Array.from({ length: NUM_CLASSES }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (c >= NUM_CLASSES) throw new UsageError(`label ${c} at index ${i} is not a Fashion-MNIST class (0–9)`);
    byClass[c].push(i);
  }
  const base = Math.floor(size / NUM_CLASSES);
  const extra = size % NUM_CLASSES;
  const out: number[] = [];
  for (let c = 0; c < NUM_CLASSES; c++) {
    const want = base + (c < extra ? 1 : 0);
    const pool = byClass[c];
    if (want > pool.length)
      throw new UsageError(
        `a balanced subset of ${size} images needs ${want} of class ${c}, but the training set has ${pool.length}; ask for fewer images`,
      );
    const perm = permutation(pool.length, deriveSeed(seed, 1000 + c));
    for (let k = 0; k < want; k++) out.push(pool[perm[k]]);
  }
  return Uint32Array.from(out.sort((a, b) => a - b));
}

/** The indices of 0..count-1 not in `taken` (ascending; `taken` ascending). */
export function complementIndices(count: number, taken: Uint32Array): Uint32Array {
  const out = new Uint32Array(count - taken.length);
  let k = 0;
  let j = 0;
  for (let i = 0; i < count; i++) {
    if (j < taken.length && taken[j] === i) j++;
    else out[k++] = i;
  }
  return out;
}
