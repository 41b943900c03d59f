import { NUM_CLASSES, PIXELS } from '../dataset/types.js';
import { LEAKY_RELU_SLOPE, stackModules, type ModelSpec } from '../model/spec.js';
import type { NamedTensors } from '../tensors.js';

/**
 * The eval-mode forward pass written out in plain TypeScript (float64 accumulation): an
 * independent reference for checking an exported model, sharing no code with the ONNX graph
 * builder. Slow next to onnxruntime (~1 s per 1,000 images for the seed model), fine for checks.
 */
export function referenceLogits(
  spec: ModelSpec,
  parameters: NamedTensors,
  images: Uint8Array,
  count: number,
): Float32Array {
  const modules = stackModules(spec);
  const out = new Float32Array(count * NUM_CLASSES);
  let x = new Float64Array(PIXELS);
  for (let n = 0; n < count; n++) {
    x = new Float64Array(PIXELS);
    for (let i = 0; i < PIXELS; i++) x[i] = Math.fround(images[n * PIXELS + i] / 255);
    for (const m of modules) {
      if (m.kind === 'linear') {
        const w = parameters.get(`linear_relu_stack.${m.index}.weight`)!.data;
        const b = parameters.get(`linear_relu_stack.${m.index}.bias`)!.data;
        const y = new Float64Array(m.outFeatures);
        for (let o = 0; o < m.outFeatures; o++) {
          let s = b[o];
          const row = o * m.inFeatures;
          for (let i = 0; i < m.inFeatures; i++) s += w[row + i] * x[i];
          y[o] = s;
        }
        x = y;
      } else if (m.kind === 'activation') {
        for (let i = 0; i < x.length; i++) {
          const v = x[i];
          x[i] =
            m.activation === 'relu'
              ? Math.max(0, v)
              : m.activation === 'tanh'
                ? Math.tanh(v)
                : m.activation === 'sigmoid'
                  ? 1 / (1 + Math.exp(-v))
                  : v >= 0
                    ? v
                    : LEAKY_RELU_SLOPE * v;
        }
      } else if (m.kind === 'log_softmax') {
        let max = -Infinity;
        for (const v of x) max = Math.max(max, v);
        let sum = 0;
        for (const v of x) sum += Math.exp(v - max);
        const lse = max + Math.log(sum);
        for (let i = 0; i < x.length; i++) x[i] -= lse;
      }
      // dropout: identity in eval mode
    }
    out.set(x, n * NUM_CLASSES);
  }
  return out;
}
