// Finite-difference check of the hand-written backward graph: for every activation and loss
// on a tiny model (two hidden layers, dropout, a final activation), the gradient graph's
// float32 gradients against float64 central differences of the same loss computed in JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import {
  ACTIVATIONS,
  dropoutLayers,
  LEAKY_RELU_SLOPE,
  parameterInfo,
  stackModules,
  type Activation,
  type ModelSpec,
} from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { LOSSES, type LossName } from '../../src/core/train/hyperparameters.js';
import { gradOutput, IO, maskInput } from '../../src/core/onnx/training.js';
import { buildGradientModel } from '../../src/core/onnx/eval-models.js';
import { mulberry32 } from '../../src/core/random.js';

const N = 6;
const rand = mulberry32(42);
const pixels = Uint8Array.from({ length: N * 784 }, (_, i) => ((i % 784) % 3 === 0 ? Math.floor(rand() * 256) : 0));
const labels = Uint8Array.from({ length: N }, (_, i) => (i * 3) % 10);

type Params = Map<string, { shape: readonly number[]; data: Float64Array }>;

/** The model's loss in float64 (the mathematical function the graph differentiates). */
function lossF64(spec: ModelSpec, loss: LossName, params: Params, masks: Map<number, Float32Array>): number {
  let h: Float64Array = Float64Array.from(pixels, (v) => v / 255);
  let width = 784;
  for (const m of stackModules(spec)) {
    if (m.kind === 'linear') {
      const w = params.get(`linear_relu_stack.${m.index}.weight`)!.data;
      const b = params.get(`linear_relu_stack.${m.index}.bias`)!.data;
      const out = new Float64Array(N * m.outFeatures);
      for (let n = 0; n < N; n++)
        for (let o = 0; o < m.outFeatures; o++) {
          let s = b[o];
          for (let i = 0; i < m.inFeatures; i++) s += h[n * m.inFeatures + i] * w[o * m.inFeatures + i];
          out[n * m.outFeatures + o] = s;
        }
      h = out;
      width = m.outFeatures;
    } else if (m.kind === 'activation') {
      const f = {
        relu: (x: number) => Math.max(0, x),
        tanh: Math.tanh,
        sigmoid: (x: number) => 1 / (1 + Math.exp(-x)),
        leaky_relu: (x: number) => (x > 0 ? x : LEAKY_RELU_SLOPE * x),
      }[m.activation];
      h = h.map(f);
    } else if (m.kind === 'dropout') {
      const mask = masks.get(m.index)!;
      h = h.map((v, i) => v * mask[i]);
    } else {
      for (let n = 0; n < N; n++) {
        const row = h.subarray(n * width, (n + 1) * width);
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
        for (let i = 0; i < width; i++) row[i] -= lse;
      }
    }
  }
  let total = 0;
  for (let n = 0; n < N; n++) {
    const row = h.subarray(n * 10, n * 10 + 10);
    const y = labels[n];
    if (loss === 'mse') total += row.reduce((s, v, i) => s + (v - (i === y ? 1 : 0)) ** 2, 0) / 10;
    else if (loss === 'nll') total -= row[y];
    else {
      const max = Math.max(...row);
      total -= row[y] - max - Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    }
  }
  return total / N;
}

for (const activation of ACTIVATIONS as readonly Activation[])
  for (const loss of LOSSES as readonly LossName[])
    test(`backward graph = finite differences: ${activation}, ${loss}`, async () => {
      const spec: ModelSpec = {
        hidden: [
          { units: 6, activation, dropout: 0 },
          { units: 5, activation, dropout: 0.4 },
        ],
        finalActivation: activation,
        logSoftmax: loss === 'nll',
      };
      const init = initParameters(spec, 7);
      const params: Params = new Map(
        [...init].map(([k, t]) => [k, { shape: t.shape, data: Float64Array.from(t.data) }]),
      );
      const masks = new Map(
        dropoutLayers(spec).map((d) => [
          d.index,
          Float32Array.from({ length: N * d.units }, (_, i) => (i % 3 === 1 ? 0 : 1 / (1 - d.p))),
        ]),
      );
      const session = await ort.InferenceSession.create(buildGradientModel(spec, loss));
      const feeds: Record<string, ort.Tensor> = {
        [IO.images]: new ort.Tensor('uint8', pixels, [N, 784]),
        [IO.labels]: new ort.Tensor('uint8', labels, [N]),
      };
      for (const d of dropoutLayers(spec))
        feeds[maskInput(d.index)] = new ort.Tensor('float32', masks.get(d.index)!, [N, d.units]);
      for (const [name, t] of init) feeds[name] = new ort.Tensor('float32', t.data, [...t.shape]);
      const out = await session.run(feeds);
      await session.release();

      const base = lossF64(spec, loss, params, masks);
      assert.ok(
        Math.abs((out[IO.loss].data[0] as number) - base) <= 1e-5 * Math.abs(base) + 1e-7,
        `loss ${out[IO.loss].data[0]} vs float64 ${base}`,
      );
      const h = 1e-5;
      for (const info of parameterInfo(spec)) {
        const p = params.get(info.name)!.data;
        const graph = out[gradOutput(info.name)].data as Float32Array;
        // First-layer weights: the columns of non-zero pixels (every third), a sample of them.
        const indices =
          info.shape.length === 2 && info.shape[1] === 784
            ? Array.from({ length: 60 }, (_, k) => (k % 6) * 784 + 3 * ((k * 37) % 261))
            : Array.from(p.keys());
        let scale = 0;
        for (const v of graph) scale = Math.max(scale, Math.abs(v));
        for (const i of indices) {
          const keep = p[i];
          p[i] = keep + h;
          const up = lossF64(spec, loss, params, masks);
          p[i] = keep - h;
          const down = lossF64(spec, loss, params, masks);
          p[i] = keep;
          const fd = (up - down) / (2 * h);
          assert.ok(
            Math.abs(graph[i] - fd) <= 2e-4 * scale + 1e-6,
            `${info.name}[${i}]: graph ${graph[i]} vs finite difference ${fd} (scale ${scale})`,
          );
        }
      }
    });
