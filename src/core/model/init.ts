import { Mt19937, torchUniformFloat32 } from '../random.js';
import { tensorSize, type NamedTensors } from '../tensors.js';
import { parameterInfo, type ModelSpec } from './spec.js';

/**
 * Initialise exactly as PyTorch does after `torch.manual_seed(seed)`: each nn.Linear and
 * nn.Conv2d in construction order, weight by kaiming_uniform_(a=√5) (bound √3·gain/√fan_in with
 * gain = √(2/(1+a²)), fan_in = in × k × k for a Conv2d) and bias by U(-1/√fan_in, 1/√fan_in),
 * drawn from torch's CPU generator (MT19937); BatchNorm draws nothing: weight and running_var
 * ones, bias, running_mean and num_batches_tracked zeros. So `--seed 0` starts from the very
 * weights of `torch.manual_seed(0); NeuralNetwork()`.
 */
export function initParameters(spec: ModelSpec, seed: number): NamedTensors {
  const gen = new Mt19937(seed);
  const params: NamedTensors = new Map();
  for (const p of parameterInfo(spec)) {
    const data = new Float32Array(tensorSize(p.shape));
    params.set(p.name, { shape: [...p.shape], data });
    if (p.module === 'batchnorm') {
      if (p.name.endsWith('.weight') || p.name.endsWith('.running_var')) data.fill(1);
      continue;
    }
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
