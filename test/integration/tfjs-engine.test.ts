// The TF.js engine's contract: parameters and optimizer state in and out, exact resume,
// dropout, evaluation, no tensor leaks, one-line errors, and the registry path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTfjsEngine } from '../../src/engines/tfjs-engine.js';
import { loadTfjs } from '../../src/engines/tfjs/load.js';
import { linear } from '../../src/engines/tfjs/model.js';
import { createEngine } from '../../src/engines/index.js';
import { UserError } from '../../src/core/errors.js';
import { initParameters } from '../../src/core/model/init.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import { cloneTensors } from '../../src/core/tensors.js';
import type { EngineOptions, TrainBatch } from '../../src/core/train/engine.js';
import { OPTIMIZER_DEFAULTS, type LossName, type OptimizerOptions } from '../../src/core/train/hyperparameters.js';
import { goldenImages, goldenLabels } from './tfjs-fixtures.js';

const SPEC: ModelSpec = {
  hidden: [
    { units: 16, activation: 'relu', dropout: 0.25 },
    { units: 8, activation: 'tanh', dropout: 0 },
  ],
  finalActivation: 'none',
  logSoftmax: false,
};
const NO_DROPOUT: ModelSpec = { ...SPEC, hidden: SPEC.hidden.map((h) => ({ ...h, dropout: 0 })) };

function options(over: Partial<EngineOptions> = {}): EngineOptions {
  const spec = over.spec ?? SPEC;
  return {
    spec,
    loss: 'cross_entropy',
    optimizer: OPTIMIZER_DEFAULTS.adam,
    parameters: initParameters(spec, 7),
    ...over,
  };
}

/** Real images from the fixture, 16 per batch, cycling; seeds and learning rate per step. */
function batches(from: number, n: number, lr = 0.01): TrainBatch[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const a = (i * 16) % 48;
    return {
      images: goldenImages.subarray(a * 784, (a + 16) * 784),
      labels: goldenLabels.subarray(a, a + 16),
      count: 16,
      learningRate: lr,
      dropoutSeed: 1000 + i,
    };
  });
}

test('backend names TF.js, its version and the backend in use', async () => {
  const engine = await createTfjsEngine(options());
  try {
    assert.equal(engine.name, 'tfjs');
    assert.match(engine.backend, /^tfjs(-node)? 4\.\d+\.\d+ \((wasm|cpu|native)/);
  } finally {
    await engine.dispose();
  }
});

test('the Linear gradient equals tf.matMul’s own autodiff gradient', async () => {
  const { tf } = await loadTfjs();
  tf.tidy(() => {
    const x = tf.randomNormal([6, 9], 0, 1, 'float32', 1) as import('@tensorflow/tfjs-core').Tensor2D;
    const w = tf.variable(
      tf.randomNormal([9, 5], 0, 1, 'float32', 2),
    ) as unknown as import('@tensorflow/tfjs-core').Tensor2D;
    const b = tf.variable(tf.randomNormal([5], 0, 1, 'float32', 3));
    const target = tf.randomNormal([6, 5], 0, 1, 'float32', 4);
    const lossOf = (y: import('@tensorflow/tfjs-core').Tensor) =>
      tf.sum(tf.mul(tf.tanh(y), target)) as import('@tensorflow/tfjs-core').Scalar;
    const reference = tf.grads(
      (
        xx: import('@tensorflow/tfjs-core').Tensor,
        ww: import('@tensorflow/tfjs-core').Tensor,
        bb: import('@tensorflow/tfjs-core').Tensor,
      ) => lossOf(tf.add(tf.matMul(xx as never, ww as never), bb)),
    )([x, w, b]);
    const ours = tf.grads(
      (
        xx: import('@tensorflow/tfjs-core').Tensor,
        ww: import('@tensorflow/tfjs-core').Tensor,
        bb: import('@tensorflow/tfjs-core').Tensor,
      ) => lossOf(linear(tf, xx as never, ww as never, bb, false)),
    )([x, w, b]);
    const first = tf.variableGrads(() => lossOf(linear(tf, x, w, b, true)), [w as never, b as never]);
    const close = (
      a: import('@tensorflow/tfjs-core').Tensor,
      e: import('@tensorflow/tfjs-core').Tensor,
      what: string,
    ) => {
      const d = tf.max(tf.abs(tf.sub(a, e))).dataSync()[0];
      assert.ok(d < 1e-5, `${what}: max difference ${d}`);
    };
    ['x', 'weight', 'bias'].forEach((what, i) => close(ours[i], reference[i], what));
    close(first.grads[(w as unknown as { name: string }).name], reference[1], 'weight (constant input)');
    close(first.grads[(b as unknown as { name: string }).name], reference[2], 'bias (constant input)');
    (w as unknown as { dispose(): void }).dispose();
    b.dispose();
  });
});

test('pure-autodiff mode trains to the same losses and weights', async () => {
  const a = await createTfjsEngine(options({ spec: NO_DROPOUT }));
  const b = await createTfjsEngine(options({ spec: NO_DROPOUT }), { pureAutodiff: true });
  try {
    const la = await a.trainSteps(batches(0, 5));
    const lb = await b.trainSteps(batches(0, 5));
    for (let i = 0; i < 5; i++)
      assert.ok(Math.abs(la[i] - lb[i]) <= 1e-5 * Math.abs(lb[i]), `step ${i}: ${la[i]} vs ${lb[i]}`);
    const pa = await a.getParameters();
    const pb = await b.getParameters();
    for (const [name, t] of pb)
      for (let i = 0; i < t.data.length; i++) assert.ok(Math.abs(pa.get(name)!.data[i] - t.data[i]) < 1e-5, name);
  } finally {
    await a.dispose();
    await b.dispose();
  }
});

test('getParameters returns what setParameters / the options gave, in state_dict order and shapes', async () => {
  const opts = options();
  const engine = await createTfjsEngine(opts);
  try {
    const got = await engine.getParameters();
    assert.deepEqual([...got.keys()], [...opts.parameters.keys()]);
    for (const [name, t] of opts.parameters) {
      assert.deepEqual(got.get(name)!.shape, t.shape);
      assert.deepEqual(got.get(name)!.data, t.data);
    }
    const other = initParameters(SPEC, 99);
    await engine.setParameters(other);
    assert.deepEqual(
      (await engine.getParameters()).get('linear_relu_stack.0.weight')!.data,
      other.get('linear_relu_stack.0.weight')!.data,
    );
  } finally {
    await engine.dispose();
  }
});

test('parameters that do not fit the model are refused in one line', async () => {
  const good = initParameters(SPEC, 1);
  const missing = cloneTensors(good);
  missing.delete('linear_relu_stack.5.bias'); // indices follow the Sequential: dropout shifts them
  const wrongShape = cloneTensors(good);
  wrongShape.set('linear_relu_stack.0.weight', { shape: [16, 10], data: new Float32Array(160) });
  const extra = cloneTensors(good);
  extra.set('linear_relu_stack.9.weight', { shape: [1], data: new Float32Array(1) });
  const cases: [typeof good, RegExp][] = [
    [missing, /^parameters: 'linear_relu_stack\.5\.bias' is missing \(weights saved for a different model\?\)$/],
    [wrongShape, /^parameters: 'linear_relu_stack\.0\.weight' has shape \[16, 10\], this model needs \[16, 784\]$/],
    [extra, /^parameters: 'linear_relu_stack\.9\.weight' is not a parameter of this model/],
  ];
  const engine = await createTfjsEngine(options());
  try {
    for (const [parameters, message] of cases) {
      const oneLine = (e: Error) => e instanceof UserError && message.test(e.message) && !e.message.includes('\n');
      await assert.rejects(createTfjsEngine(options({ parameters })), oneLine);
      await assert.rejects(engine.setParameters(parameters), oneLine);
    }
  } finally {
    await engine.dispose();
  }
});

const OPTIMIZERS: OptimizerOptions[] = [
  { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
  { ...OPTIMIZER_DEFAULTS.adam, amsgrad: true, weightDecay: 0.01 },
  { ...OPTIMIZER_DEFAULTS.rmsprop, momentum: 0.5, centered: true },
];

for (const optimizer of OPTIMIZERS) {
  test(`resuming from parameters + optimizer state continues exactly (${optimizer.kind})`, async () => {
    const straight = await createTfjsEngine(options({ optimizer }));
    const first = await createTfjsEngine(options({ optimizer }));
    try {
      const all = await straight.trainSteps(batches(0, 6));
      await first.trainSteps(batches(0, 3));
      const state = await first.getOptimizerState();
      assert.equal(state.step, 3);
      const names = [...state.tensors.keys()];
      const expected = {
        sgd: ['momentum_buffer'],
        adam: ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'],
        rmsprop: ['square_avg', 'momentum_buffer', 'grad_avg'],
        adamw: ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'],
      }[optimizer.kind];
      assert.deepEqual([...new Set(names.map((n) => n.split('/')[0]))], expected);
      assert.ok(names.includes(`${expected[0]}/linear_relu_stack.0.weight`));
      const resumed = await createTfjsEngine(options({ optimizer, parameters: await first.getParameters() }));
      await resumed.setOptimizerState(state);
      const rest = await resumed.trainSteps(batches(3, 3));
      assert.deepEqual([...rest], [...all.subarray(3)]);
      await resumed.dispose();
    } finally {
      await straight.dispose();
      await first.dispose();
    }
  });
}

test("optimizer buffers come out in PyTorch's layout: after one SGD step, momentum_buffer = (before - after) / lr", async () => {
  const opts = options({ spec: NO_DROPOUT, optimizer: { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9 } });
  const engine = await createTfjsEngine(opts);
  try {
    const [batch] = batches(0, 1, 0.5);
    await engine.trainSteps([batch]);
    const after = await engine.getParameters();
    const { tensors } = await engine.getOptimizerState();
    for (const [name, before] of opts.parameters) {
      const buf = tensors.get(`momentum_buffer/${name}`)!;
      assert.deepEqual(buf.shape, before.shape);
      for (let i = 0; i < buf.data.length; i++) {
        const implied = (before.data[i] - after.get(name)!.data[i]) / 0.5;
        assert.ok(Math.abs(implied - buf.data[i]) < 1e-6, `${name}[${i}]: ${implied} vs ${buf.data[i]}`);
      }
    }
  } finally {
    await engine.dispose();
  }
});

test('optimizer state is empty before the first step and refused when it does not fit', async () => {
  const engine = await createTfjsEngine(options());
  try {
    assert.deepEqual(await engine.getOptimizerState(), { step: 0, tensors: new Map() });
    await assert.rejects(
      engine.setOptimizerState({ step: 4, tensors: new Map() }),
      /^UserError: optimizer state has no 'exp_avg\/linear_relu_stack\.0\.weight' \(saved with different adam settings\?\); start without the optimizer state$/,
    );
    await engine.trainSteps(batches(0, 1));
    const state = await engine.getOptimizerState();
    const bad = new Map(state.tensors);
    bad.set('exp_avg/linear_relu_stack.0.bias', { shape: [3], data: new Float32Array(3) });
    await assert.rejects(
      engine.setOptimizerState({ step: 1, tensors: bad }),
      /optimizer state 'exp_avg\/linear_relu_stack\.0\.bias' has shape \[3\], the model needs \[16\]/,
    );
    await assert.rejects(engine.setOptimizerState({ step: -1, tensors: state.tensors }), /step must be a whole number/);
    // Step 0 resets the buffers: the next step equals a fresh engine's first step.
    await engine.setParameters(options().parameters);
    await engine.setOptimizerState({ step: 0, tensors: new Map() });
    const fresh = await createTfjsEngine(options());
    assert.deepEqual([...(await engine.trainSteps(batches(0, 2)))], [...(await fresh.trainSteps(batches(0, 2)))]);
    await fresh.dispose();
    // Buffers given with step 0 are ignored as well (torch has none before its first step; so does the ONNX engine).
    await engine.setParameters(options().parameters);
    await engine.setOptimizerState({ step: 0, tensors: state.tensors });
    const again = await createTfjsEngine(options());
    assert.deepEqual([...(await engine.trainSteps(batches(0, 2)))], [...(await again.trainSteps(batches(0, 2)))]);
    await again.dispose();
  } finally {
    await engine.dispose();
  }
});

test('dropout masks follow the dropout seed: same seed, same losses; another seed, other losses', async () => {
  const a = await createTfjsEngine(options());
  const b = await createTfjsEngine(options());
  const c = await createTfjsEngine(options());
  try {
    const la = await a.trainSteps(batches(0, 3));
    const lb = await b.trainSteps(batches(0, 3));
    const lc = await c.trainSteps(batches(0, 3).map((x) => ({ ...x, dropoutSeed: x.dropoutSeed + 1 })));
    assert.deepEqual([...la], [...lb]);
    assert.notEqual(la[0], lc[0]);
  } finally {
    await a.dispose();
    await b.dispose();
    await c.dispose();
  }
});

for (const loss of ['cross_entropy', 'nll', 'mse'] as LossName[]) {
  test(`evaluate: per-sample ${loss} averages to the training loss; predictions are the argmax of predict`, async () => {
    const spec: ModelSpec = { ...NO_DROPOUT, logSoftmax: loss === 'nll' };
    const engine = await createTfjsEngine(options({ spec, loss, parameters: initParameters(spec, 3) }), {
      evalChunk: 7,
    });
    try {
      const n = 20;
      const { losses, predictions } = await engine.evaluate(goldenImages, goldenLabels, n);
      const output = await engine.predict(goldenImages, n);
      assert.equal(losses.length, n);
      assert.equal(output.length, n * 10);
      for (let i = 0; i < n; i++) {
        const row = [...output.subarray(i * 10, i * 10 + 10)];
        assert.equal(predictions[i], row.indexOf(Math.max(...row)));
      }
      if (loss === 'nll')
        for (let i = 0; i < n; i++) assert.ok(Math.abs(losses[i] + output[i * 10 + goldenLabels[i]]) < 1e-6);
      const mean = losses.reduce((s, x) => s + x, 0) / n;
      // trainSteps reports the loss before its update: the same number, batch-averaged.
      const [trained] = await engine.trainSteps([
        { images: goldenImages, labels: goldenLabels, count: n, learningRate: 0.1, dropoutSeed: 0 },
      ]);
      assert.ok(Math.abs(trained - mean) <= 1e-6 * Math.abs(mean), `${trained} vs ${mean}`);
      // Eval mode has no dropout: predict is deterministic and the update changed it.
      const again = await engine.predict(goldenImages, n);
      assert.notDeepEqual([...again], [...output]);
    } finally {
      await engine.dispose();
    }
  });
}

test('eval mode switches dropout off: predict gives the same output twice', async () => {
  const engine = await createTfjsEngine(options());
  try {
    assert.deepEqual([...(await engine.predict(goldenImages, 5))], [...(await engine.predict(goldenImages, 5))]);
  } finally {
    await engine.dispose();
  }
});

test('no tensors leak over thousands of steps, evaluations and state round-trips', async () => {
  const { tf } = await loadTfjs();
  const before = tf.memory().numTensors;
  const engine = await createTfjsEngine(
    options({ optimizer: { ...OPTIMIZER_DEFAULTS.rmsprop, momentum: 0.9, centered: true } }),
  );
  try {
    await engine.trainSteps(batches(0, 10));
    const settled = tf.memory().numTensors;
    for (let round = 0; round < 10; round++) {
      await engine.trainSteps(batches(round * 200, 200, 1e-4));
      await engine.evaluate(goldenImages, goldenLabels, 58);
      await engine.predict(goldenImages, 3);
      await engine.setOptimizerState(await engine.getOptimizerState());
      await engine.setParameters(await engine.getParameters());
    }
    assert.equal(tf.memory().numTensors, settled);
  } finally {
    await engine.dispose();
  }
  assert.equal(tf.memory().numTensors, before, 'dispose() frees the variables');
});

test('a disposed engine refuses work', async () => {
  const engine = await createTfjsEngine(options());
  await engine.dispose();
  await engine.dispose(); // twice is fine
  await assert.rejects(engine.trainSteps(batches(0, 1)), /after dispose/);
});

test("createEngine('tfjs') loads this engine through the registry", async () => {
  const engine = await createEngine('tfjs', options());
  try {
    assert.equal(engine.name, 'tfjs');
    const [loss] = await engine.trainSteps(batches(0, 1));
    assert.ok(Number.isFinite(loss) && loss > 0);
  } finally {
    await engine.dispose();
  }
});
