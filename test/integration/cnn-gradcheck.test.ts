// Finite differences for every new layer's backward: for small models that put each layer kind
// where its input gradient is needed (strided/padded Conv2d, MaxPool2d overlapping or not and
// after a ReLU or not, AvgPool2d, BatchNorm2d/1d in training mode, Dropout on an image, Flatten),
// the gradient graph's directional derivative along a random ± direction per parameter tensor
// against the central difference of the graph's own loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { parseLayers } from '../../src/core/model/parse-layers.js';
import { initParameters } from '../../src/core/model/init.js';
import { dropoutLayers, layerListSpec, trainableParameters } from '../../src/core/model/spec.js';
import { gradOutput, IO, maskInput } from '../../src/core/onnx/training.js';
import { buildGradientModel } from '../../src/core/onnx/eval-models.js';
import { mulberry32 } from '../../src/core/random.js';
import type { LossName } from '../../src/core/train/hyperparameters.js';

const N = 5;
const rand = mulberry32(7);
const pixels = Uint8Array.from({ length: N * 784 }, () => Math.floor(rand() * 256));
const labels = Uint8Array.from({ length: N }, (_, i) => (i * 3) % 10);

const CASES: [string, LossName][] = [
  ['Conv2d(2,3) Conv2d(3,3,stride=2,padding=1) Flatten Linear(10)', 'cross_entropy'],
  ['Conv2d(2,3) ReLU Conv2d(3,5,padding=1) Flatten Linear(10)', 'cross_entropy'],
  // Stride-1 input gradients are a Conv with the flipped kernel (padding k-1-p); padding ≥ kernel
  // goes through ConvTranspose.
  ['Conv2d(2,3) Conv2d(3,5,padding=2) Conv2d(2,2,padding=2) Flatten Linear(10)', 'cross_entropy'],
  ['Conv2d(2,3) MaxPool2d(3,stride=2) Flatten Linear(10)', 'cross_entropy'],
  ['Conv2d(2,3) Sigmoid AvgPool2d(3,stride=2) Conv2d(2,2) AvgPool2d(2) Flatten Linear(10)', 'mse'],
  ['Conv2d(2,5,stride=3) BatchNorm2d Tanh Flatten Linear(8) BatchNorm1d Sigmoid Linear(10)', 'cross_entropy'],
  ['Conv2d(2,3,stride=2) Dropout(0.5) Flatten Linear(10) LeakyReLU LogSoftmax', 'nll'],
  // ReLU then MaxPool2d pools first (MaxUnpool backward, and ScatterElements for overlapping windows).
  [
    'Conv2d(2,3) BatchNorm2d ReLU MaxPool2d(2) Conv2d(3,3) ReLU MaxPool2d(3,stride=2) Flatten Linear(10)',
    'cross_entropy',
  ],
];

for (const [layers, loss] of CASES)
  test(`finite differences agree with the backward graph: ${layers}`, async () => {
    const spec = layerListSpec(parseLayers(layers));
    const session = await ort.InferenceSession.create(buildGradientModel(spec, loss));
    const params = initParameters(spec, 3);
    const feeds: Record<string, ort.Tensor> = {
      [IO.images]: new ort.Tensor('uint8', pixels, [N, 784]),
      [IO.labels]: new ort.Tensor('uint8', labels, [N]),
    };
    for (const d of dropoutLayers(spec)) {
      const mask = Float32Array.from({ length: N * d.units }, () => (rand() < d.p ? 0 : 1 / (1 - d.p)));
      feeds[maskInput(d.index)] = new ort.Tensor('float32', mask, [N, d.units]);
    }
    const run = async (overrides: Map<string, Float32Array>) => {
      const f = { ...feeds };
      for (const [name, t] of params) f[name] = new ort.Tensor('float32', overrides.get(name) ?? t.data, [...t.shape]);
      return session.run(f);
    };
    const base = await run(new Map());
    for (const p of trainableParameters(spec)) {
      const theta = params.get(p.name)!.data;
      const dir = Float32Array.from(theta, () => (rand() < 0.5 ? -1 : 1));
      const grad = base[gradOutput(p.name)].data as Float32Array;
      const analytic = grad.reduce((s, g, i) => s + g * dir[i], 0);
      const eps = 2e-4;
      const lossAt = async (sign: number) =>
        (
          (await run(new Map([[p.name, theta.map((v, i) => v + sign * eps * dir[i])]])))[IO.loss].data as Float32Array
        )[0];
      const numeric = ((await lossAt(1)) - (await lossAt(-1))) / (2 * eps);
      // float32 losses: the difference quotient is good to ~6e-4 absolute at this step.
      assert.ok(
        Math.abs(numeric - analytic) <= 1e-3 + 2e-2 * Math.abs(analytic),
        `${p.name}: backward ${analytic}, finite difference ${numeric}`,
      );
    }
  });
