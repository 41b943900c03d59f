// A resumed augmented run equals the uninterrupted one: augmentations are drawn from the seed and
// the global step, so a run stopped mid-epoch and resumed from its weights and optimizer state
// trains on the same augmented images (ONNX engine, Adam, shuffle, dropout, all three transforms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PIXELS, type Split } from '../../src/core/dataset/types.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { createTrainController } from '../../src/core/train/controller.js';
import { engineOptionsFor } from '../../src/core/train/engine.js';
import type { TrainingEvent } from '../../src/core/train/events.js';
import {
  OPTIMIZER_DEFAULTS,
  SEED_HYPERPARAMETERS,
  type Hyperparameters,
} from '../../src/core/train/hyperparameters.js';
import { train, type TrainOptions } from '../../src/core/train/loop.js';
import type { NamedTensors } from '../../src/core/tensors.js';
import { createEngine } from '../../src/engines/index.js';
import { loadDataset } from '../../src/io/data/load.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';

const spec: ModelSpec = {
  hidden: [{ units: 32, activation: 'relu', dropout: 0.1 }],
  finalActivation: 'none',
  logSoftmax: false,
};
const hp = (augment?: Hyperparameters['augment']): Hyperparameters => ({
  ...SEED_HYPERPARAMETERS,
  optimizer: OPTIMIZER_DEFAULTS.adam,
  batchSize: 64,
  epochs: 2,
  shuffle: true,
  seed: 3,
  ...(augment && { augment }),
});
const AUGMENT = { flip: true, crop: 2, erase: true };

const head = (s: Split, n: number): Split => ({
  images: s.images.subarray(0, n * PIXELS),
  labels: s.labels.subarray(0, n),
  count: n,
});

async function run(
  h: Hyperparameters,
  dataset: { train: Split; test: Split },
  from?: {
    parameters: NamedTensors;
    state: Awaited<ReturnType<Awaited<ReturnType<typeof createEngine>>['getOptimizerState']>>;
  },
  options: Partial<TrainOptions> = {},
  stopAtStep?: number,
) {
  const engine = await createEngine('onnx', engineOptionsFor(spec, h, from?.parameters ?? initParameters(spec, 1)));
  try {
    if (from) await engine.setOptimizerState(from.state);
    const commands = createTrainController();
    let end: Extract<TrainingEvent, { type: 'trainEnd' }> | undefined;
    for await (const e of train({ engine, dataset, spec, hyperparameters: h, commands, stepsPerCall: 1, ...options })) {
      if (e.type === 'batchEnd' && e.step === stopAtStep) commands.send({ type: 'abort' });
      if (e.type === 'trainEnd') end = e;
    }
    return { end: end!, parameters: await engine.getParameters(), state: await engine.getOptimizerState() };
  } finally {
    await engine.dispose();
  }
}

test('an augmented run stopped mid-epoch and resumed ends with the uninterrupted run’s weights, bit for bit', async () => {
  const data = await loadDataset({ dataDir: embeddedDataDir() });
  const dataset = { train: head(data.train, 1000), test: head(data.test, 200) };
  const straight = await run(hp(AUGMENT), dataset);
  assert.equal(straight.end.reason, 'completed');

  // 16 steps per epoch: stop after step 20 (epoch 2, batch 5), then resume there.
  const first = await run(hp(AUGMENT), dataset, undefined, {}, 20);
  assert.equal(first.end.reason, 'aborted');
  assert.deepEqual(first.end.at, { epoch: 2, batch: 5 });
  const resumed = await run(hp(AUGMENT), dataset, first, {
    startEpoch: 2,
    startStep: first.end.step,
    history: first.end.history,
  });
  for (const [name, t] of straight.parameters)
    assert.deepEqual(Buffer.from(resumed.parameters.get(name)!.data.buffer), Buffer.from(t.data.buffer), name);

  // The augmentation did change the training: without it the weights differ.
  const plain = await run(hp(), dataset);
  const w = 'linear_relu_stack.0.weight';
  assert.notDeepEqual(plain.parameters.get(w)!.data, straight.parameters.get(w)!.data);
});
