// The ONNX engine's behaviour: determinism, exact resume, partial batches, dropout in training
// only (masks from the step's seed), evaluation and prediction, and one-line refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../src/engines/index.js';
import { createOnnxEngine } from '../../src/engines/onnx-engine.js';
import { initParameters } from '../../src/core/model/init.js';
import { PRESETS, type ModelSpec } from '../../src/core/model/spec.js';
import { UserError } from '../../src/core/errors.js';
import type { EngineOptions, TrainBatch } from '../../src/core/train/engine.js';
import { OPTIMIZER_DEFAULTS } from '../../src/core/train/hyperparameters.js';
import { referenceLogits } from '../../src/core/verify/reference-forward.js';
import { goldenImages, goldenLabels } from './tfjs-fixtures.js';

const dropoutSpec: ModelSpec = {
  hidden: [
    { units: 16, activation: 'relu', dropout: 0.5 },
    { units: 12, activation: 'tanh', dropout: 0.2 },
  ],
  finalActivation: 'none',
  logSoftmax: false,
};
const adam = { ...OPTIMIZER_DEFAULTS.adam, amsgrad: true };
const options = (spec: ModelSpec = dropoutSpec): EngineOptions => ({
  spec,
  loss: 'cross_entropy',
  optimizer: adam,
  parameters: initParameters(spec, 1),
});

/** Batches over the 58 fixture images; sizes vary (the engine groups equal sizes into one run). */
function batches(sizes: number[], seed0 = 0): TrainBatch[] {
  let a = 0;
  return sizes.map((n, i) => {
    if (a + n > 58) a = 0;
    const b = {
      images: goldenImages.subarray(a * 784, (a + n) * 784),
      labels: goldenLabels.subarray(a, a + n),
      count: n,
      learningRate: 0.01 * (1 + (i % 3)),
      dropoutSeed: seed0 + i,
    };
    a += n;
    return b;
  });
}
const SIZES = [16, 16, 16, 10, 1, 16, 7, 7, 16];

test('the same inputs give identical losses and weights (determinism)', async () => {
  const runs = [];
  for (let r = 0; r < 2; r++) {
    const engine = await createOnnxEngine(options());
    runs.push({ losses: await engine.trainSteps(batches(SIZES)), params: await engine.getParameters() });
    await engine.dispose();
  }
  assert.deepEqual(runs[0].losses, runs[1].losses);
  assert.deepEqual(runs[0].params, runs[1].params);
  assert.ok(runs[0].losses.every(Number.isFinite));
});

test('how steps are grouped into runs does not change the numbers', async () => {
  const one = await createOnnxEngine(options(), { maxStepsPerRun: 1 });
  const many = await createOnnxEngine(options(), { maxStepsPerRun: 32, targetRunMs: 1e9 });
  const work = batches([16, 16, 16, 16, 16, 16, 10]);
  assert.deepEqual(await one.trainSteps(work), await many.trainSteps(work));
  assert.deepEqual(await one.getParameters(), await many.getParameters());
  assert.deepEqual(await one.getOptimizerState(), await many.getOptimizerState());
  for (const e of [one, many]) await e.dispose();
});

test('calls made without awaiting run one after another', async () => {
  const a = await createOnnxEngine(options());
  const b = await createOnnxEngine(options());
  const work = batches(SIZES);
  const [l1, l2, ev] = await Promise.all([
    a.trainSteps(work.slice(0, 4)),
    a.trainSteps(work.slice(4)),
    a.evaluate(goldenImages, goldenLabels, 58),
  ]);
  const m1 = await b.trainSteps(work.slice(0, 4));
  const m2 = await b.trainSteps(work.slice(4));
  assert.deepEqual([l1, l2], [m1, m2]);
  assert.deepEqual(ev, await b.evaluate(goldenImages, goldenLabels, 58));
  await Promise.all([a.dispose(), b.dispose()]);
});

test('resuming from saved weights and optimizer state reproduces the uninterrupted run exactly', async () => {
  const whole = await createOnnxEngine(options());
  const expected = await whole.trainSteps(batches(SIZES));
  const first = await createOnnxEngine(options());
  const part1 = await first.trainSteps(batches(SIZES).slice(0, 5));
  const params = await first.getParameters();
  const state = await first.getOptimizerState();
  assert.equal(state.step, 5);
  assert.deepEqual([...state.tensors.keys()].slice(0, 2), [
    'exp_avg/linear_relu_stack.0.weight',
    'exp_avg/linear_relu_stack.0.bias',
  ]);
  const second = await createOnnxEngine(options());
  await second.setParameters(params);
  await second.setOptimizerState(state);
  const part2 = await second.trainSteps(batches(SIZES).slice(5));
  assert.deepEqual(new Float32Array([...part1, ...part2]), expected);
  assert.deepEqual(await second.getParameters(), await whole.getParameters());
  for (const e of [whole, first, second]) await e.dispose();
});

test('optimizer state is empty before the first step, like torch', async () => {
  const engine = await createOnnxEngine(options());
  const state = await engine.getOptimizerState();
  assert.equal(state.step, 0);
  assert.equal(state.tensors.size, 0);
  await engine.dispose();
});

test('dropout: active in training, the same seed draws the same masks, a different seed others', async () => {
  const one = async (seed: number) => {
    const engine = await createOnnxEngine(options());
    const [loss] = await engine.trainSteps([{ ...batches([16])[0], dropoutSeed: seed }]);
    await engine.dispose();
    return loss;
  };
  const a = await one(7);
  assert.equal(await one(7), a);
  assert.notEqual(await one(8), a);
  // Without dropout the first loss is the eval-mode loss of the initial weights; with it, it is not.
  const engine = await createOnnxEngine(options());
  const evalLoss = (await engine.evaluate(goldenImages, goldenLabels, 16)).losses.reduce((s, v) => s + v, 0) / 16;
  assert.ok(Math.abs(evalLoss - a) > 1e-4, `training loss ${a} should differ from the eval-mode loss ${evalLoss}`);
  await engine.dispose();
});

test('evaluate and predict are eval mode (no dropout): repeatable and equal to the reference forward pass', async () => {
  const engine = await createOnnxEngine(options(), { evalChunk: 7 });
  await engine.trainSteps(batches([16, 16]));
  const params = await engine.getParameters();
  const out = await engine.predict(goldenImages, 58);
  assert.deepEqual(await engine.predict(goldenImages, 58), out);
  const ref = referenceLogits(dropoutSpec, params, goldenImages, 58);
  for (let i = 0; i < ref.length; i++)
    assert.ok(Math.abs(out[i] - ref[i]) <= 1e-5 + 1e-5 * Math.abs(ref[i]), `output ${i}: ${out[i]} vs ${ref[i]}`);
  const ev = await engine.evaluate(goldenImages, goldenLabels, 58);
  assert.equal(ev.losses.length, 58);
  for (let n = 0; n < 58; n++) {
    const row = Array.from(out.subarray(n * 10, n * 10 + 10));
    assert.equal(ev.predictions[n], row.indexOf(Math.max(...row)));
    const max = Math.max(...row);
    const ce = -(row[goldenLabels[n]] - max - Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)));
    assert.ok(Math.abs(ev.losses[n] - ce) <= 1e-5 * Math.max(1, ce), `loss ${n}: ${ev.losses[n]} vs ${ce}`);
  }
  const big = await createOnnxEngine(options());
  await big.setParameters(params);
  assert.deepEqual(await big.evaluate(goldenImages, goldenLabels, 58), ev);
  for (const e of [engine, big]) await e.dispose();
});

test('partial batches of any size train (the symbolic batch dimension)', async () => {
  const engine = await createOnnxEngine({
    ...options(PRESETS.recommended),
    optimizer: OPTIMIZER_DEFAULTS.sgd,
    parameters: initParameters(PRESETS.recommended, 0),
  });
  const losses = await engine.trainSteps(batches([1, 2, 58, 13]));
  assert.equal(losses.length, 4);
  assert.ok(losses.every(Number.isFinite));
  await engine.dispose();
});

test('a huge learning rate gives a non-finite loss instead of an exception (the loop reports it)', async () => {
  const engine = await createOnnxEngine({
    spec: PRESETS.recommended,
    loss: 'cross_entropy',
    optimizer: OPTIMIZER_DEFAULTS.sgd,
    parameters: initParameters(PRESETS.recommended, 0),
  });
  const losses = await engine.trainSteps(batches([16, 16, 16, 16]).map((b) => ({ ...b, learningRate: 1e30 })));
  assert.ok(!losses.every(Number.isFinite), `losses ${Array.from(losses).join(', ')}`);
  await engine.dispose();
});

test('createEngine("onnx") names its backend', async () => {
  const engine = await createEngine('onnx', options());
  assert.equal(engine.name, 'onnx');
  assert.match(engine.backend, /^onnxruntime-node \d+\.\d+\.\d+ \(cpu, \d+ threads?\)$/);
  await engine.dispose();
});

const oneLine = (re: RegExp) => (e: unknown) =>
  e instanceof UserError && !(e as Error).message.includes('\n') && re.test((e as Error).message);

test('bad parameters and optimizer states are refused in one line', async () => {
  const missing = initParameters(dropoutSpec, 1);
  missing.delete('linear_relu_stack.0.bias');
  await assert.rejects(
    createOnnxEngine({ ...options(), parameters: missing }),
    oneLine(/'linear_relu_stack\.0\.bias' is missing/),
  );
  const extra = initParameters(dropoutSpec, 1);
  extra.set('linear_relu_stack.9.weight', { shape: [1], data: new Float32Array(1) });
  await assert.rejects(
    createOnnxEngine({ ...options(), parameters: extra }),
    oneLine(/'linear_relu_stack\.9\.weight' is not a parameter of this model/),
  );
  const engine = await createOnnxEngine(options());
  const wrong = initParameters(PRESETS.seed, 1);
  await assert.rejects(engine.setParameters(wrong), oneLine(/has shape \[512, 784\], this model needs \[16, 784\]/));
  await engine.trainSteps(batches([4]));
  const state = await engine.getOptimizerState();
  const noBuffer = {
    step: state.step,
    tensors: new Map([...state.tensors].filter(([k]) => !k.startsWith('max_exp_avg_sq/'))),
  };
  await assert.rejects(
    engine.setOptimizerState(noBuffer),
    oneLine(/optimizer state has no 'max_exp_avg_sq\/linear_relu_stack\.0\.weight'/),
  );
  const badShape = {
    step: 1,
    tensors: new Map(
      [...state.tensors].map(([k, t]) => [
        k,
        k === 'exp_avg/linear_relu_stack.0.bias' ? { shape: [3], data: new Float32Array(3) } : t,
      ]),
    ),
  };
  await assert.rejects(
    engine.setOptimizerState(badShape),
    oneLine(/optimizer state 'exp_avg\/linear_relu_stack\.0\.bias' has shape \[3\], the model needs \[16\]/),
  );
  await assert.rejects(
    engine.setOptimizerState({ step: -1, tensors: new Map() }),
    oneLine(/step must be a whole number/),
  );
  await engine.dispose();
  await assert.rejects(engine.trainSteps(batches([4])), /after dispose/);
});
