import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PIXELS } from '../../src/core/dataset/types.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { ENGINE_NAMES, type Engine, type EngineName, type TrainBatch } from '../../src/core/train/engine.js';
import { OPTIMIZER_DEFAULTS, SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';
import { createEngine } from '../../src/engines/index.js';
import { readCheckpoint, writeCheckpoint } from '../../src/io/checkpoint.js';
import { loadDataset } from '../../src/io/data/load.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';

const spec: ModelSpec = {
  hidden: [{ units: 32, activation: 'relu', dropout: 0.2 }],
  finalActivation: 'none',
  logSoftmax: false,
};
const optimizer = { ...OPTIMIZER_DEFAULTS.adam, amsgrad: true };

// Both engines are in every build: a failure to create one fails the test (no skip).
async function engine(name: EngineName, parameters = initParameters(spec, 1)): Promise<Engine> {
  return createEngine(name, { spec, loss: 'cross_entropy', optimizer, parameters });
}

for (const name of ENGINE_NAMES) {
  test(`${name} engine: training resumed from a checkpoint file continues bit for bit`, async () => {
    const a = await engine(name);
    const { train } = await loadDataset({ dataDir: embeddedDataDir() });
    const batches: TrainBatch[] = Array.from({ length: 8 }, (_, s) => ({
      images: train.images.subarray(s * 32 * PIXELS, (s + 1) * 32 * PIXELS),
      labels: train.labels.subarray(s * 32, (s + 1) * 32),
      count: 32,
      learningRate: 1e-3,
      dropoutSeed: 100 + s,
    }));
    await a.trainSteps(batches.slice(0, 4));
    const path = join(mkdtempSync(join(tmpdir(), 'fmnist-resume-')), 'checkpoint.ckpt');
    await writeCheckpoint(path, {
      spec,
      hyperparameters: { ...SEED_HYPERPARAMETERS, optimizer },
      parameters: await a.getParameters(),
      optimizerState: await a.getOptimizerState(),
      epoch: 1,
      step: 4,
      history: [],
      datasetFingerprint: 'test',
      engine: name,
    });
    const ckpt = await readCheckpoint(path);
    assert.equal(ckpt.optimizerState.step, 4);
    assert.ok(
      ckpt.optimizerState.tensors.has('max_exp_avg_sq/linear_relu_stack.0.weight'),
      [...ckpt.optimizerState.tensors.keys()].join(', '),
    );
    const b = (await engine(name, ckpt.parameters))!;
    try {
      await b.setOptimizerState(ckpt.optimizerState);
      const lossA = await a.trainSteps(batches.slice(4));
      const lossB = await b.trainSteps(batches.slice(4));
      assert.deepEqual([...lossB], [...lossA]);
      const pa = await a.getParameters();
      const pb = await b.getParameters();
      for (const [k, v] of pa) assert.deepEqual(Buffer.from(pb.get(k)!.data.buffer), Buffer.from(v.data.buffer), k);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
}
