import { NUM_CLASSES, PIXELS } from '../dataset/types.js';
import { BATCH_NORM_EPS, type Module } from '../model/modules.js';
import { LEAKY_RELU_SLOPE, stackModules, type ModelSpec } from '../model/spec.js';
import type { NamedTensors } from '../tensors.js';

/**
 * The eval-mode forward pass written out in plain TypeScript (float64 accumulation): an
 * independent reference for checking an exported model, sharing no code with the ONNX graph
 * builder. Slow next to onnxruntime (~1 s per 1,000 images for the seed model; CNNs more),
 * fine for checks. One image at a time, activations in [C, H, W] or [F] row-major order.
 */
export function referenceLogits(
  spec: ModelSpec,
  parameters: NamedTensors,
  images: Uint8Array,
  count: number,
): Float32Array {
  const modules = stackModules(spec);
  const out = new Float32Array(count * NUM_CLASSES);
  for (let n = 0; n < count; n++) {
    let x: Float64Array = new Float64Array(PIXELS);
    for (let i = 0; i < PIXELS; i++) x[i] = Math.fround(images[n * PIXELS + i] / 255);
    for (const m of modules) x = moduleForward(m, (field) => parameters.get(`${m.name}.${field}`)!.data, x);
    out.set(x, n * NUM_CLASSES);
  }
  return out;
}

function moduleForward(m: Module, param: (field: string) => Float32Array, x: Float64Array): Float64Array {
  switch (m.kind) {
    case 'linear': {
      const w = param('weight');
      const b = param('bias');
      const y = new Float64Array(m.outFeatures);
      for (let o = 0; o < m.outFeatures; o++) {
        let s = b[o];
        const row = o * m.inFeatures;
        for (let i = 0; i < m.inFeatures; i++) s += w[row + i] * x[i];
        y[o] = s;
      }
      return y;
    }
    case 'conv2d': {
      const w = param('weight');
      const b = param('bias');
      const [, h, wd] = m.inShape;
      const [co, oh, ow] = m.outShape;
      const { kernel: k, stride: s, padding: p, inChannels: ci } = m;
      const y = new Float64Array(co * oh * ow);
      for (let o = 0; o < co; o++)
        for (let r = 0; r < oh; r++)
          for (let c = 0; c < ow; c++) {
            let acc = b[o];
            for (let i = 0; i < ci; i++)
              for (let kh = 0; kh < k; kh++) {
                const ih = r * s + kh - p;
                if (ih < 0 || ih >= h) continue;
                for (let kw = 0; kw < k; kw++) {
                  const iw = c * s + kw - p;
                  if (iw < 0 || iw >= wd) continue;
                  acc += w[((o * ci + i) * k + kh) * k + kw] * x[(i * h + ih) * wd + iw];
                }
              }
            y[(o * oh + r) * ow + c] = acc;
          }
      return y;
    }
    case 'maxpool':
    case 'avgpool': {
      const [ch, h, wd] = m.inShape;
      const [, oh, ow] = m.outShape;
      const y = new Float64Array(ch * oh * ow);
      for (let i = 0; i < ch; i++)
        for (let r = 0; r < oh; r++)
          for (let c = 0; c < ow; c++) {
            let acc = m.kind === 'maxpool' ? -Infinity : 0;
            for (let kh = 0; kh < m.kernel; kh++)
              for (let kw = 0; kw < m.kernel; kw++) {
                const v = x[(i * h + r * m.stride + kh) * wd + c * m.stride + kw];
                acc = m.kind === 'maxpool' ? Math.max(acc, v) : acc + v;
              }
            y[(i * oh + r) * ow + c] = m.kind === 'maxpool' ? acc : acc / (m.kernel * m.kernel);
          }
      return y;
    }
    case 'batchnorm': {
      const [gamma, beta, mean, variance] = ['weight', 'bias', 'running_mean', 'running_var'].map(param);
      const per = x.length / m.features;
      return x.map((v, i) => {
        const c = Math.floor(i / per);
        return ((v - mean[c]) / Math.sqrt(variance[c] + BATCH_NORM_EPS)) * gamma[c] + beta[c];
      });
    }
    case 'activation':
      return x.map((v) =>
        m.activation === 'relu'
          ? Math.max(0, v)
          : m.activation === 'tanh'
            ? Math.tanh(v)
            : m.activation === 'sigmoid'
              ? 1 / (1 + Math.exp(-v))
              : v >= 0
                ? v
                : LEAKY_RELU_SLOPE * v,
      );
    case 'log_softmax': {
      let max = -Infinity;
      for (const v of x) max = Math.max(max, v);
      let sum = 0;
      for (const v of x) sum += Math.exp(v - max);
      const lse = max + Math.log(sum);
      return x.map((v) => v - lse);
    }
    // Flatten: the layout is already row-major; Dropout: identity in eval mode.
    case 'flatten':
    case 'dropout':
      return x;
  }
}
