import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelSpec } from '../../src/core/model/spec.js';
import type { NamedTensors } from '../../src/core/tensors.js';
import { referenceLogits } from '../../src/core/verify/reference-forward.js';
import { cnnGolden, cnnImages, cnnLabels, cnnSpec, toTensors } from '../integration/cnn-fixtures.js';

// Two hidden units that see the mean of the first two pixels; easy to work out by hand.
function tiny(spec: ModelSpec): NamedTensors {
  const w0 = new Float32Array(2 * 784);
  w0[0] = 1; // unit 0 = pixel0
  w0[784 + 1] = -1; // unit 1 = -pixel1
  const w = new Float32Array(20);
  for (let o = 0; o < 10; o++) {
    w[o * 2] = o; // logit o = o·h0 + h1 - 0.5
    w[o * 2 + 1] = 1;
  }
  const idx = spec.hidden[0].dropout > 0 ? 3 : 2;
  return new Map([
    ['linear_relu_stack.0.weight', { shape: [2, 784], data: w0 }],
    ['linear_relu_stack.0.bias', { shape: [2], data: new Float32Array([0, 0]) }],
    [`linear_relu_stack.${idx}.weight`, { shape: [10, 2], data: w }],
    [`linear_relu_stack.${idx}.bias`, { shape: [10], data: new Float32Array(10).fill(-0.5) }],
  ]);
}

test('the reference forward pass follows the spec: activations, eval-mode dropout, final ReLU, LogSoftmax', () => {
  const image = new Uint8Array(784);
  image[0] = 255;
  image[1] = 51; // 0.2
  const act: Record<string, (v: number) => number> = {
    relu: (v) => Math.max(0, v),
    tanh: Math.tanh,
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    leaky_relu: (v) => (v >= 0 ? v : 0.01 * v),
  };
  for (const [name, f] of Object.entries(act)) {
    for (const dropout of [0, 0.5]) {
      const spec: ModelSpec = {
        hidden: [{ units: 2, activation: name as 'relu', dropout }],
        finalActivation: 'relu',
        logSoftmax: false,
      };
      const out = referenceLogits(spec, tiny(spec), image, 1);
      const h0 = f(1);
      const h1 = f(-0.2);
      for (let o = 0; o < 10; o++)
        assert.ok(Math.abs(out[o] - Math.max(0, o * h0 + h1 - 0.5)) < 1e-6, `${name} dropout ${dropout} logit ${o}`);
    }
  }
  const spec: ModelSpec = {
    hidden: [{ units: 2, activation: 'relu', dropout: 0 }],
    finalActivation: 'none',
    logSoftmax: true,
  };
  const out = referenceLogits(spec, tiny(spec), image, 1);
  const z = Array.from({ length: 10 }, (_, o) => o - 0.5);
  const lse = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
  for (let o = 0; o < 10; o++) assert.ok(Math.abs(out[o] - (z[o] - lse)) < 1e-6);
});

test('the reference forward pass of a CNN with every layer kind equals PyTorch eval mode', () => {
  const c = cnnGolden.cases[0];
  const logits = referenceLogits(cnnSpec, toTensors(c.final_state), cnnImages, cnnLabels.length);
  let worst = 0;
  logits.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - c.eval_output[i]) / (1e-6 + Math.abs(c.eval_output[i])));
  });
  assert.ok(worst <= 1e-5, `worst relative error ${worst}`);
});
