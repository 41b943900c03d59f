// The ONNX engine in a worker thread: the same numbers as in the main thread, errors that
// stay one-line UserErrors, and batches that are views into a large training set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOnnxEngine } from '../../src/engines/onnx-engine.js';
import { initParameters } from '../../src/core/model/init.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import { UserError } from '../../src/core/errors.js';
import type { EngineOptions, TrainBatch } from '../../src/core/train/engine.js';
import { OPTIMIZER_DEFAULTS } from '../../src/core/train/hyperparameters.js';
import { goldenImages, goldenLabels } from './tfjs-fixtures.js';

const spec: ModelSpec = {
  hidden: [{ units: 12, activation: 'relu', dropout: 0.3 }],
  finalActivation: 'none',
  logSoftmax: false,
};
const options: EngineOptions = {
  spec,
  loss: 'cross_entropy',
  optimizer: { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9 },
  parameters: initParameters(spec, 4),
};
const batches: TrainBatch[] = [0, 16, 32, 48].map((a, i) => {
  const b = Math.min(a + 16, 58);
  return {
    images: goldenImages.subarray(a * 784, b * 784),
    labels: goldenLabels.subarray(a, b),
    count: b - a,
    learningRate: 0.05,
    dropoutSeed: i,
  };
});

test('the worker engine computes exactly what the in-thread engine computes', async () => {
  const here = await createOnnxEngine(options);
  const there = await createOnnxEngine(options, { worker: true });
  assert.equal(there.name, 'onnx');
  assert.equal(there.backend, here.backend);
  assert.deepEqual(await there.trainSteps(batches), await here.trainSteps(batches));
  assert.deepEqual(await there.getParameters(), await here.getParameters());
  assert.deepEqual(await there.getOptimizerState(), await here.getOptimizerState());
  assert.deepEqual(
    await there.evaluate(goldenImages, goldenLabels, 58),
    await here.evaluate(goldenImages, goldenLabels, 58),
  );
  assert.deepEqual(await there.predict(goldenImages, 58), await here.predict(goldenImages, 58));
  // State set from outside round-trips through the worker.
  const params = await here.getParameters();
  const state = await here.getOptimizerState();
  await there.setParameters(params);
  await there.setOptimizerState(state);
  assert.deepEqual(await there.trainSteps(batches), await here.trainSteps(batches));
  // The caller's batches are untouched (the worker got copies).
  assert.equal(batches[0].images.length, 16 * 784);
  await Promise.all([here.dispose(), there.dispose()]);
});

test('errors from the worker stay one-line UserErrors', async () => {
  const missing = initParameters(spec, 4);
  missing.delete('linear_relu_stack.0.weight');
  await assert.rejects(
    createOnnxEngine({ ...options, parameters: missing }, { worker: true }),
    (e: unknown) => e instanceof UserError && /'linear_relu_stack\.0\.weight' is missing/.test((e as Error).message),
  );
  const engine = await createOnnxEngine(options, { worker: true });
  await assert.rejects(
    engine.setOptimizerState({ step: -2, tensors: new Map() }),
    (e: unknown) => e instanceof UserError && /step must be a whole number/.test((e as Error).message),
  );
  await engine.dispose();
});
