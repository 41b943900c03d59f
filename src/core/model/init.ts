import { mulberry32 } from '../random.js';
import type { NamedTensors } from '../tensors.js';
import { parameterInfo, type ModelSpec } from './spec.js';

/**
 * Initialise like PyTorch's nn.Linear: weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
 * from a seeded stream (values differ from torch's generator, the distribution does not).
 */
export function initParameters(spec: ModelSpec, seed: number): NamedTensors {
  const rand = mulberry32(seed);
  const params: NamedTensors = new Map();
  for (const p of parameterInfo(spec)) {
    const bound = 1 / Math.sqrt(p.fanIn);
    const data = new Float32Array(p.shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = (rand() * 2 - 1) * bound;
    params.set(p.name, { shape: [...p.shape], data });
  }
  return params;
}
