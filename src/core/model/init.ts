import { Mt19937, torchUniformFloat32 } from '../random.js';
import { tensorSize, type NamedTensors } from '../tensors.js';
import { parameterInfo, type ModelSpec } from './spec.js';

/**
 * Initialise exactly as PyTorch does after `torch.manual_seed(seed)`: each nn.Linear in order,
 * weight by kaiming_uniform_(a=√5) (bound √3·gain/√fan_in with gain = √(2/(1+a²))) and bias by
 * U(-1/√fan_in, 1/√fan_in), drawn from torch's CPU generator (MT19937). So `--seed 0` starts from
 * the very weights of `torch.manual_seed(0); NeuralNetwork()`.
 */
export function initParameters(spec: ModelSpec, seed: number): NamedTensors {
  const gen = new Mt19937(seed);
  const params: NamedTensors = new Map();
  for (const p of parameterInfo(spec)) {
    const data = new Float32Array(tensorSize(p.shape));
    params.set(p.name, { shape: [...p.shape], data });
    torchUniformFloat32(gen, -initBound(p.name, p.fanIn), initBound(p.name, p.fanIn), data);
  }
  return params;
}

/** The same arithmetic as torch.nn.init in Python (double precision), so bounds match to the bit. */
function initBound(name: string, fanIn: number): number {
  if (name.endsWith('.bias')) return 1 / Math.sqrt(fanIn);
  const a = Math.sqrt(5);
  const gain = Math.sqrt(2.0 / (1 + a ** 2));
  const std = gain / Math.sqrt(fanIn);
  return Math.sqrt(3.0) * std;
}
