// TIDY 3: a search trial is a `train` run. Trials run through the one train() loop, so a trial and
// `fmnist-tui train` with the flags the search prints train the same batches and report the same
// test loss (the seed's mean of batch means; the search's own loop used a per-sample mean).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrainFlags, resolveHyperparameters } from '../../src/config/index.js';
import { initParameters } from '../../src/core/model/init.js';
import type { TrainingEvent } from '../../src/core/train/events.js';
import { train } from '../../src/core/train/loop.js';
import { trainFlags, trialHyperparameters } from '../../src/core/tune/report.js';
import type { TrialConfig } from '../../src/core/tune/search-space.js';
import { trialSpec } from '../../src/core/tune/search-space.js';
import { createEngine } from '../../src/engines/index.js';
import { loadDataset } from '../../src/io/data/load.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';
import { runSearch } from '../../src/tune/search.js';

test('a search trial and `train` with the flags it prints give the same train and test loss, epoch by epoch', async () => {
  const dataset = await loadDataset({ dataDir: embeddedDataDir() });
  const seed = 5;
  const epochs = 2;
  const trial: TrialConfig = {
    id: 1,
    preset: 'recommended',
    hidden: [32],
    optimizer: 'adam',
    learningRate: 2e-3,
    batchSize: 64,
  };
  const perEpoch: { trainLoss?: number; testLoss?: number; testAccuracy?: number }[] = [];
  for await (const e of runSearch({
    train: dataset.train,
    test: dataset.test,
    trials: [trial],
    budget: { trials: 1, epochs, eta: 2, halving: false },
    seed,
    createEngine: (o) => createEngine('onnx', o),
  }))
    if (e.type === 'trialEpoch') perEpoch.push(e.trial);

  // The run the search prints as `fmnist-tui train …`, through the same flag parser as the command.
  const { config } = parseTrainFlags(trainFlags(trial, { epochs, seed }));
  const hyperparameters = resolveHyperparameters(config, dataset.train.count);
  assert.deepEqual(hyperparameters, trialHyperparameters(trial, { epochs, seed }));
  assert.deepEqual(config.spec, trialSpec(trial));
  const engine = await createEngine('onnx', {
    spec: config.spec,
    loss: hyperparameters.loss,
    optimizer: hyperparameters.optimizer,
    parameters: initParameters(config.spec, hyperparameters.seed),
  });
  const ends: Extract<TrainingEvent, { type: 'epochEnd' }>[] = [];
  try {
    for await (const e of train({ engine, dataset, spec: config.spec, hyperparameters }))
      if (e.type === 'epochEnd') ends.push(e);
  } finally {
    await engine.dispose();
  }
  assert.equal(perEpoch.length, epochs);
  assert.equal(ends.length, epochs);
  for (let i = 0; i < epochs; i++) {
    assert.equal(perEpoch[i].trainLoss, ends[i].trainLoss, `epoch ${i + 1} train loss`);
    assert.equal(perEpoch[i].testLoss, ends[i].testLoss, `epoch ${i + 1} test loss`);
    assert.equal(perEpoch[i].testAccuracy, ends[i].testAccuracy, `epoch ${i + 1} test accuracy`);
  }
});
