// Each optimizer's update, step by step, equals torch.optim's formula written out in JS
// (float64): before every step the gradient comes from the gradient graph at the engine's
// current weights; after it, the engine's weights and buffers must equal the formula applied
// to its previous weights and buffers. Learning rates change from step to step, and one step
// has learning rate 0 (a cosine schedule's last step: the weights must not move).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { createOnnxEngine } from '../../src/engines/onnx-engine.js';
import { gradOutput, IO } from '../../src/core/onnx/training.js';
import { buildGradientModel } from '../../src/core/onnx/eval-models.js';
import { initParameters } from '../../src/core/model/init.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import type { NamedTensors } from '../../src/core/tensors.js';
import { OPTIMIZER_DEFAULTS, type OptimizerOptions } from '../../src/core/train/hyperparameters.js';
import { goldenImages, goldenLabels, scaledError } from './tfjs-fixtures.js';

const spec: ModelSpec = {
  hidden: [{ units: 8, activation: 'tanh', dropout: 0 }],
  finalActivation: 'none',
  logSoftmax: false,
};
const STEPS = 5;
const LRS = [0.05, 0.03, 0, 0.01, 0.02];
/** One-cycle's momentum / beta1 per step (cases marked cycled). */
const MOMENTA = [0.95, 0.85, 0.88, 0.91, 0.95];
/** Cases whose momentum / beta1 comes with each step, as under --schedule onecycle. */
const CYCLED = new Set(['sgd cycled', 'sgd nesterov weight decay cycled', 'adam weight decay cycled']);
CYCLED.add('adamw amsgrad cycled').add('rmsprop centered cycled');

const CASES: Record<string, OptimizerOptions> = {
  sgd: OPTIMIZER_DEFAULTS.sgd,
  'sgd momentum': { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9 },
  'sgd momentum dampening weight decay': {
    ...OPTIMIZER_DEFAULTS.sgd,
    momentum: 0.8,
    dampening: 0.3,
    weightDecay: 0.05,
  },
  'sgd weight decay': { ...OPTIMIZER_DEFAULTS.sgd, weightDecay: 0.05 },
  'sgd momentum dampening': { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9, dampening: 0.5 },
  'sgd nesterov': { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9, nesterov: true },
  'sgd nesterov weight decay': { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9, nesterov: true, weightDecay: 0.05 },
  adam: OPTIMIZER_DEFAULTS.adam,
  'adam amsgrad weight decay betas': {
    ...OPTIMIZER_DEFAULTS.adam,
    beta1: 0.7,
    beta2: 0.95,
    eps: 1e-3,
    amsgrad: true,
    weightDecay: 0.05,
  },
  'adam weight decay': { ...OPTIMIZER_DEFAULTS.adam, weightDecay: 0.05 },
  rmsprop: { ...OPTIMIZER_DEFAULTS.rmsprop, eps: 1e-3 },
  'rmsprop centered weight decay': { ...OPTIMIZER_DEFAULTS.rmsprop, centered: true, weightDecay: 0.05, eps: 1e-3 },
  'rmsprop momentum': { ...OPTIMIZER_DEFAULTS.rmsprop, momentum: 0.5, eps: 1e-3 },
  'rmsprop centered momentum weight decay': {
    ...OPTIMIZER_DEFAULTS.rmsprop,
    alpha: 0.9,
    momentum: 0.6,
    centered: true,
    weightDecay: 0.05,
    eps: 1e-3,
  },
};

Object.assign(CASES, {
  adamw: OPTIMIZER_DEFAULTS.adamw,
  'adamw amsgrad weight decay betas': {
    ...OPTIMIZER_DEFAULTS.adamw,
    beta1: 0.7,
    beta2: 0.95,
    eps: 1e-3,
    amsgrad: true,
    weightDecay: 0.1,
  },
  // One-cycle: torch overrides the momentum even when it is 0 (the buffer then exists).
  'sgd cycled': OPTIMIZER_DEFAULTS.sgd,
  'sgd nesterov weight decay cycled': { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
  'adam weight decay cycled': { ...OPTIMIZER_DEFAULTS.adam, weightDecay: 0.05 },
  'adamw amsgrad cycled': { ...OPTIMIZER_DEFAULTS.adamw, amsgrad: true },
  'rmsprop centered cycled': { ...OPTIMIZER_DEFAULTS.rmsprop, centered: true, eps: 1e-3 },
} satisfies Record<string, OptimizerOptions>);

type Buffers = Map<string, Float64Array>;

/** torch.optim (1.13, single tensor) for one parameter, in float64. `step` counts from 1. */
function reference(
  o: OptimizerOptions,
  p: Float64Array,
  gradIn: Float32Array,
  buf: Buffers,
  step: number,
  lr: number,
): void {
  // AdamW: p·(1 - lr·wd) first, no L2 term in the gradient.
  const decoupled = o.kind === 'adamw';
  if (decoupled) for (let i = 0; i < p.length; i++) p[i] *= 1 - lr * o.weightDecay;
  const g = Float64Array.from(gradIn, (v, i) => v + (decoupled ? 0 : o.weightDecay) * p[i]);
  const get = (name: string) => buf.get(name) ?? (buf.set(name, new Float64Array(p.length)), buf.get(name)!);
  for (let i = 0; i < p.length; i++) {
    if (o.kind === 'sgd') {
      let d = g[i];
      if (o.momentum !== 0) {
        const b = get('momentum_buffer');
        b[i] = step === 1 ? g[i] : o.momentum * b[i] + (1 - o.dampening) * g[i];
        d = o.nesterov ? g[i] + o.momentum * b[i] : b[i];
      }
      p[i] -= lr * d;
    } else if (o.kind === 'adam' || o.kind === 'adamw') {
      const m = get('exp_avg');
      const v = get('exp_avg_sq');
      m[i] = o.beta1 * m[i] + (1 - o.beta1) * g[i];
      v[i] = o.beta2 * v[i] + (1 - o.beta2) * g[i] * g[i];
      let second = v[i];
      if (o.amsgrad) {
        const mx = get('max_exp_avg_sq');
        mx[i] = Math.max(mx[i], v[i]);
        second = mx[i];
      }
      const denom = Math.sqrt(second) / Math.sqrt(1 - o.beta2 ** step) + o.eps;
      p[i] -= ((lr / (1 - o.beta1 ** step)) * m[i]) / denom;
    } else {
      const sq = get('square_avg');
      sq[i] = o.alpha * sq[i] + (1 - o.alpha) * g[i] * g[i];
      let avg = sq[i];
      if (o.centered) {
        const ga = get('grad_avg');
        ga[i] = o.alpha * ga[i] + (1 - o.alpha) * g[i];
        avg -= ga[i] * ga[i];
      }
      const denom = Math.sqrt(avg) + o.eps;
      if (o.momentum > 0) {
        const b = get('momentum_buffer');
        b[i] = o.momentum * b[i] + g[i] / denom;
        p[i] -= lr * b[i];
      } else p[i] -= (lr * g[i]) / denom;
    }
  }
}

async function gradients(
  session: ort.InferenceSession,
  params: NamedTensors,
  a: number,
  b: number,
): Promise<Map<string, Float32Array>> {
  const feeds: Record<string, ort.Tensor> = {
    [IO.images]: new ort.Tensor('uint8', goldenImages.slice(a * 784, b * 784), [b - a, 784]),
    [IO.labels]: new ort.Tensor('uint8', goldenLabels.slice(a, b), [b - a]),
  };
  for (const [name, t] of params) feeds[name] = new ort.Tensor('float32', t.data, [...t.shape]);
  const out = await session.run(feeds);
  return new Map([...params.keys()].map((name) => [name, out[gradOutput(name)].data as Float32Array]));
}

for (const [label, optimizer] of Object.entries(CASES))
  test(`${label}: ${STEPS} steps equal torch.optim's formula`, async () => {
    const cycled = CYCLED.has(label);
    const engine = await createOnnxEngine({
      spec,
      loss: 'cross_entropy',
      optimizer,
      cycleMomentum: cycled,
      parameters: initParameters(spec, 5),
    });
    // The optimizer torch runs this step: one-cycle writes the momentum / beta1 into the group.
    const at = (s: number): OptimizerOptions =>
      !cycled
        ? optimizer
        : optimizer.kind === 'adam' || optimizer.kind === 'adamw'
          ? { ...optimizer, beta1: MOMENTA[s] }
          : { ...optimizer, momentum: MOMENTA[s] };
    const session = await ort.InferenceSession.create(buildGradientModel(spec, 'cross_entropy'));
    try {
      for (let s = 0; s < STEPS; s++) {
        const a = (s * 12) % 46;
        const b = a + 12;
        const before = await engine.getParameters();
        const state = await engine.getOptimizerState();
        assert.equal(state.step, s);
        const grads = await gradients(session, before, a, b);
        await engine.trainSteps([
          {
            images: goldenImages.subarray(a * 784, b * 784),
            labels: goldenLabels.subarray(a, b),
            count: b - a,
            learningRate: LRS[s],
            dropoutSeed: s,
            momentum: MOMENTA[s],
          },
        ]);
        const after = await engine.getParameters();
        const afterState = await engine.getOptimizerState();
        for (const [name, t] of before) {
          const p = Float64Array.from(t.data);
          const buffers: Buffers = new Map();
          for (const [key, v] of state.tensors)
            if (key.endsWith(`/${name}`))
              buffers.set(key.slice(0, key.length - name.length - 1), Float64Array.from(v.data));
          reference(at(s), p, grads.get(name)!, buffers, s + 1, LRS[s]);
          // Compare the change made by the step (the weights themselves would hide small errors).
          const expectedDelta = p.map((v, i) => v - t.data[i]);
          const delta = after.get(name)!.data.map((v, i) => v - t.data[i]);
          // Per element: within 1e-4 of the update's size, plus float32 rounding of the weight itself.
          const size = expectedDelta.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
          delta.forEach((d, i) => {
            const allowed = 1e-4 * size + 2 ** -22 * Math.abs(t.data[i]);
            if (!(Math.abs(d - expectedDelta[i]) <= allowed))
              assert.fail(
                `step ${s + 1} ${name}[${i}]: update ${d} vs formula ${expectedDelta[i]} (largest update ${size})`,
              );
          });
          for (const [buffer, v] of buffers) {
            const got = afterState.tensors.get(`${buffer}/${name}`);
            assert.ok(got, `state has ${buffer}/${name}`);
            const e = scaledError(got.data, v);
            assert.ok(e <= 1e-5, `step ${s + 1} ${buffer}/${name}: differs by ${e.toExponential(2)}`);
          }
        }
      }
    } finally {
      await session.release();
      await engine.dispose();
    }
  });
