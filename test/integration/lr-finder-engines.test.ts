import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createEngine } from '../../src/engines/index.js';
import { loadDataset } from '../../src/io/data/load.js';
import { findLearningRate } from '../../src/tune/lr-finder.js';
import { gatherBatch } from '../../src/tune/batches.js';
import { initParameters } from '../../src/core/model/init.js';
import { PRESETS, type ModelSpec } from '../../src/core/model/spec.js';
import { OPTIMIZER_DEFAULTS, type OptimizerName } from '../../src/core/train/hyperparameters.js';
import type { Engine, EngineName } from '../../src/core/train/engine.js';
import type { NamedTensors } from '../../src/core/tensors.js';
import { permutation } from '../../src/core/random.js';

const FULL = '/usr/share/datasets/fashion-mnist';
const small: ModelSpec = {
  hidden: [{ units: 32, activation: 'relu', dropout: 0 }],
  finalActivation: 'none',
  logSoftmax: false,
};

// Both engines are in every build: a failure to create one fails the test (no skip).
async function makeEngine(name: EngineName, spec: ModelSpec, optimizer: OptimizerName): Promise<Engine> {
  return createEngine(name, {
    spec,
    loss: 'cross_entropy',
    optimizer: OPTIMIZER_DEFAULTS[optimizer],
    parameters: initParameters(spec, 0),
  });
}

const bits = (t: NamedTensors) =>
  [...t].map(([k, v]) => [k, Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength).toString('base64')]);

const dataset = await loadDataset({ download: false, dataDir: existsSync(FULL) ? FULL : undefined });

for (const name of ['onnx', 'tfjs'] as const) {
  test(`${name}: after the finder, parameters and Adam state are bit-identical`, async () => {
    const engine = await makeEngine(name, small, 'adam');
    try {
      await engine.trainSteps([gatherBatch(dataset.train, permutation(dataset.train.count, 1), 0, 32, 1e-3, 0)]);
      const params = bits(await engine.getParameters());
      const state = await engine.getOptimizerState();
      const r = await findLearningRate({ engine, train: dataset.train, batchSize: 32, steps: 60 });
      assert.ok(r.learningRates.length > 10);
      assert.deepEqual(bits(await engine.getParameters()), params);
      const after = await engine.getOptimizerState();
      assert.equal(after.step, state.step);
      assert.deepEqual(bits(after.tensors), bits(state.tensors));
    } finally {
      await engine.dispose();
    }
  });
}

// Known-good learning rates for the recommended model on the full data (batch 64; the search and
// PyTorch reference runs agree): Adam 3e-4…5e-3, SGD 0.02…0.3, RMSprop 5e-5…1e-3.
const GOOD: Record<OptimizerName, [number, number]> = {
  adam: [3e-4, 5e-3],
  sgd: [0.02, 0.3],
  rmsprop: [5e-5, 1e-3],
  adamw: [3e-4, 5e-3],
};
for (const optimizer of ['adam', 'sgd', 'rmsprop'] as const) {
  test(`onnx: the finder's suggestion for the recommended model with ${optimizer} is in the known-good range`, async (t) => {
    if (dataset.train.count < 60000) return t.skip(`needs the full data in ${FULL}`);
    const engine = await makeEngine('onnx', PRESETS.recommended, optimizer);
    try {
      const r = await findLearningRate({ engine, train: dataset.train, batchSize: 64 });
      const lr = r.suggestion?.learningRate ?? NaN;
      const [lo, hi] = GOOD[optimizer];
      assert.ok(lr >= lo && lr <= hi, `${optimizer}: suggested ${lr}, expected ${lo}…${hi}`);
      assert.equal(r.reason, 'diverged', 'the ramp to 10 makes the loss blow up');
    } finally {
      await engine.dispose();
    }
  });
}

test('findLearningRateFor and searchFor start from settings and clean up', async (t) => {
  const { findLearningRateFor, searchFor } = await import('../../src/tune/sessions.js');
  const { SEED_HYPERPARAMETERS } = await import('../../src/core/train/hyperparameters.js');
  const name: EngineName = 'onnx';
  const r = await findLearningRateFor({
    engine: name,
    spec: small,
    hyperparameters: { ...SEED_HYPERPARAMETERS, batchSize: 32 },
    train: dataset.train,
    steps: 50,
  });
  assert.ok(r.suggestion && r.suggestion.learningRate > 0);
  let best: number | undefined;
  for await (const e of searchFor({
    engine: name,
    train: dataset.train,
    test: dataset.test,
    space: {
      presets: ['recommended'],
      hidden: [[16]],
      optimizers: ['adam'],
      batchSizes: [64],
      learningRates: {
        sgd: { min: 0.1, max: 0.1 },
        adam: { min: 1e-3, max: 3e-3 },
        rmsprop: { min: 1e-4, max: 1e-4 },
        adamw: { min: 1e-3, max: 3e-3 },
      },
      gridLearningRates: 1,
    },
    budget: { trials: 2, epochs: 2, halving: true, eta: 2, subset: 2000 },
  }))
    if (e.type === 'searchEnd') best = e.best?.testAccuracy;
  assert.ok(best !== undefined && best > 0.5, `best accuracy ${best}`);
  t.diagnostic(`engine ${name}`);
});

test("the TUI's tune ports: a rounded suggestion, and trials with the model and hyperparameters to apply", async () => {
  const { findLearningRateService, searchService } = await import('../../src/ui/tune-services.js');
  const { SEED_HYPERPARAMETERS } = await import('../../src/core/train/hyperparameters.js');
  const name: EngineName = 'onnx';
  const request = { dataset, spec: small, hyperparameters: { ...SEED_HYPERPARAMETERS, seed: 3 }, engine: name };
  // In a worker thread, as the session runs them (the main thread keeps drawing).
  const found = await findLearningRateService(request, new AbortController().signal, { worker: true });
  assert.equal(found.suggestion, Number(found.suggestion.toPrecision(2)));
  assert.equal(found.learningRates.length, found.losses.length);
  const seen: number[] = [];
  const result = await searchService(request, (t) => seen.push(t.id), new AbortController().signal, {
    runtime: { worker: true },
    space: {
      presets: ['recommended'],
      hidden: [[16]],
      optimizers: ['adam'],
      batchSizes: [64],
      learningRates: {
        sgd: { min: 0.1, max: 0.1 },
        adam: { min: 1e-3, max: 3e-3 },
        rmsprop: { min: 1e-4, max: 1e-4 },
        adamw: { min: 1e-3, max: 3e-3 },
      },
      gridLearningRates: 1,
    },
    budget: { trials: 2, epochs: 2, halving: true, eta: 2, subset: 1000 },
  });
  assert.ok(seen.length >= 2);
  assert.equal(result.trials.length, 2);
  const best = result.best!;
  assert.equal(best.status, 'done');
  assert.deepEqual(
    best.spec.hidden.map((l) => l.units),
    [16],
  );
  assert.equal(best.hyperparameters.optimizer.kind, 'adam');
  assert.equal(best.hyperparameters.shuffle, true);
  assert.equal(best.hyperparameters.seed, 3);
  assert.equal(best.hyperparameters.epochs, SEED_HYPERPARAMETERS.epochs);
});
