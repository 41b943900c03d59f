import { deriveSeed, mulberry32 } from '../random.js';

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
): Float32Array {
  const rand = mulberry32(deriveSeed(dropoutSeed, moduleIndex));
  const scale = Math.fround(1 / (1 - p));
  const out = new Float32Array(count * units);
  for (let i = 0; i < out.length; i++) out[i] = rand() < p ? 0 : scale;
  return out;
}
