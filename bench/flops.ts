// Floating-point operations of a training epoch, counted as the engine's graphs do them:
// per weighted layer (Linear, Conv2d) a multiply-add is 2 FLOPs in the forward pass, 2 in the
// weight gradient and 2 in the input gradient (skipped for the first layer: the pixels need
// none). Biases, activations and the update are left out (a few per parameter, not per
// multiply-add). The seed model: 80.2 GFLOP forward + 80.2 weight gradients + 32.1 input
// gradients per 60,000-image epoch, 13.4 for the 10,000-image test pass.
import { stackModules, type ModelSpec } from '../src/core/model/spec.js';
import { moduleMultiplyAdds } from '../src/core/model/modules.js';

export function trainFlopsPerSample(spec: ModelSpec): number {
  let flops = 0;
  let first = true;
  for (const m of stackModules(spec)) {
    const madds = moduleMultiplyAdds(m);
    if (madds === 0) continue;
    flops += 2 * madds * (first ? 2 : 3);
    first = false;
  }
  return flops;
}

export function evalFlopsPerSample(spec: ModelSpec): number {
  return stackModules(spec).reduce((n, m) => n + 2 * moduleMultiplyAdds(m), 0);
}
