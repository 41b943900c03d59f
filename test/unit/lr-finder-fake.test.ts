import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeEngine, syntheticSplit } from './tune-fake-engine.js';
import { findLearningRate } from '../../src/tune/lr-finder.js';
import { gatherBatch } from '../../src/tune/batches.js';
import { initParameters } from '../../src/core/model/init.js';
import { OPTIMIZER_DEFAULTS, type OptimizerName } from '../../src/core/train/hyperparameters.js';
import { permutation } from '../../src/core/random.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import type { NamedTensors } from '../../src/core/tensors.js';

const spec: ModelSpec = {
  hidden: [{ units: 16, activation: 'relu', dropout: 0 }],
  finalActivation: 'none',
  logSoftmax: false,
};
const train = syntheticSplit(2000, 1);
const test_ = syntheticSplit(200, 2);
const engineFor = (optimizer: OptimizerName) =>
  createFakeEngine({
    spec,
    loss: 'cross_entropy',
    optimizer: OPTIMIZER_DEFAULTS[optimizer],
    parameters: initParameters(spec, 0),
  });

const same = (a: NamedTensors, b: NamedTensors) => {
  assert.deepEqual([...a.keys()], [...b.keys()]);
  for (const [k, t] of a)
    assert.ok(
      Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(
        Buffer.from(b.get(k)!.data.buffer, b.get(k)!.data.byteOffset, b.get(k)!.data.byteLength),
      ),
      k,
    );
};

/** Test loss after 100 steps of batch 16 at a fixed learning rate, from the same initial weights. */
async function lossAfterTraining(optimizer: OptimizerName, lr: number): Promise<number> {
  const e = await engineFor(optimizer);
  const order = permutation(train.count, 3);
  for (let s = 0; s < 100; s += 10)
    await e.trainSteps(Array.from({ length: 10 }, (_, k) => gatherBatch(train, order, (s + k) * 16, 16, lr, 0)));
  const ev = await e.evaluate(test_.images, test_.labels, test_.count);
  return ev.losses.reduce((sum, l) => sum + l, 0) / test_.count;
}

for (const optimizer of ['sgd', 'adam'] as const) {
  test(`${optimizer}: the suggestion trains well, the weights and optimizer state are bit-identical afterwards`, async () => {
    const engine = await engineFor(optimizer);
    // Give the optimizer some state first, so restoring it is tested (not just zeros).
    await engine.trainSteps([gatherBatch(train, permutation(train.count, 9), 0, 16, 1e-3, 0)]);
    const before = await engine.getParameters();
    const stateBefore = await engine.getOptimizerState();
    const progress: number[] = [];
    const r = await findLearningRate({
      engine,
      train,
      batchSize: 16,
      startLr: 1e-6,
      steps: 100,
      onProgress: (p) => progress.push(p.step),
    });
    same(await engine.getParameters(), before);
    const stateAfter = await engine.getOptimizerState();
    assert.equal(stateAfter.step, stateBefore.step);
    same(stateAfter.tensors, stateBefore.tensors);

    assert.equal(progress.length, r.learningRates.length);
    assert.deepEqual(progress.slice(0, 3), [1, 2, 3]);
    const s = r.suggestion!;
    assert.ok(s, 'a suggestion');
    // Known-good range for this problem (100 steps of batch 16; measured by a sweep): 1e-2 … 1e-1.
    assert.ok(s.learningRate >= 1e-2 && s.learningRate <= 1e-1, `suggested ${s.learningRate}`);
    const atSuggestion = await lossAfterTraining(optimizer, s.learningRate);
    assert.ok(atSuggestion < 1.5, `loss ${atSuggestion} at the suggestion`);
    assert.ok(atSuggestion < (await lossAfterTraining(optimizer, s.learningRate / 100)), 'better than 100× lower');
    assert.ok(atSuggestion < (await lossAfterTraining(optimizer, s.learningRate * 30)), 'better than 30× higher');
  });
}

test('the finder stops once the loss diverges, and restores the weights then too', async () => {
  const engine = await engineFor('sgd');
  const before = await engine.getParameters();
  const r = await findLearningRate({ engine, train, batchSize: 16, startLr: 1e-3, endLr: 1000, steps: 200 });
  assert.equal(r.reason, 'diverged');
  assert.ok(r.learningRates.length < 200);
  const last = r.smoothedLosses.at(-1)!;
  assert.ok(!Number.isFinite(r.losses.at(-1)!) || last > 4 * Math.min(...r.smoothedLosses));
  same(await engine.getParameters(), before);
});

test('an aborted finder returns what it has and restores the weights', async () => {
  const engine = await engineFor('adam');
  const before = await engine.getParameters();
  const controller = new AbortController();
  const r = await findLearningRate({
    engine,
    train,
    batchSize: 16,
    steps: 100,
    stepsPerCall: 5,
    signal: controller.signal,
    onProgress: (p) => p.step === 20 && controller.abort(),
  });
  assert.equal(r.reason, 'aborted');
  assert.equal(r.learningRates.length, 20);
  same(await engine.getParameters(), before);
});

test('bad finder settings are refused in one line before any work', async () => {
  const engine = await engineFor('sgd');
  const cases: [object, RegExp][] = [
    [{ startLr: 0 }, /^lr-find: the start learning rate must be a number above 0 \(got 0\)$/],
    [{ startLr: 1, endLr: 0.1 }, /^lr-find: the end learning rate must be above the start \(got 1 to 0.1\)$/],
    [{ steps: 3 }, /^lr-find: steps must be a whole number from 10 to 10000 \(got 3\)$/],
    [{ batchSize: 5000 }, /^lr-find: batch size 5000 is larger than the training set \(2000 images\)$/],
    [{ batchSize: 0 }, /^lr-find: batch size must be a whole number of at least 1 \(got 0\)$/],
  ];
  for (const [patch, message] of cases)
    await assert.rejects(
      findLearningRate({ engine, train, batchSize: 16, ...patch }),
      (e: Error) => e.name === 'UsageError' && message.test(e.message),
      JSON.stringify(patch),
    );
  assert.equal(engine.calls.trainSteps, 0);
});
