import { deriveSeed } from '../random.js';

/**
 * One dropout layer's multiplier for one training step, as torch computes it
 * (`noise.bernoulli_(1 - p); noise.div_(1 - p); input * noise`): each element is kept
 * with probability 1 - p and then scaled by 1 / (1 - p). The stream is seeded by the
 * step's dropout seed and the module's Sequential index, so a resumed run draws the same masks.
 */
export function dropoutNoise(
  dropoutSeed: number,
  moduleIndex: number,
  count: number,
  units: number,
  p: number,
  out: Float32Array = new Float32Array(count * units),
): Float32Array {
  // mulberry32 (core/random.ts) written out in the loop: this runs for every element of every
  // training step, and it cost ~1 s of a CNN epoch. rand() < p
  // is compared as the 32-bit draw against p·2³², which is exact (a division by 2³² is exact).
  let a = deriveSeed(dropoutSeed, moduleIndex) | 0;
  const threshold = p * 4294967296;
  const n = count * units;
  // Stored as the float's bits through an integer view (a float store per element cost twice as much).
  const scale = new Uint32Array(Float32Array.of(1 / (1 - p)).buffer)[0];
  const bits = new Uint32Array(out.buffer, out.byteOffset, n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    bits[i] = (t ^ (t >>> 14)) >>> 0 < threshold ? 0 : scale;
  }
  return out;
}
