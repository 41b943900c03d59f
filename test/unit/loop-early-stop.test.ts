// The validation split, the best epoch and early stopping in the train loop, with a fake engine
// whose held-out loss per epoch is scripted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { train, type TrainOptions } from '../../src/core/train/loop.js';
import { SEED_HYPERPARAMETERS, type Hyperparameters } from '../../src/core/train/hyperparameters.js';
import type { TrainingEvent } from '../../src/core/train/events.js';
import { earlyStopMessage, splitValidation } from '../../src/core/train/held-out.js';
import { PRESETS } from '../../src/core/model/spec.js';
import { seedLines } from '../../src/headless/seed-lines.js';
import { PIXELS } from '../../src/core/dataset/types.js';
import { UsageError } from '../../src/core/errors.js';
import { fakeEngine, syntheticSplit, type FakeEngine } from './loop-fake-engine.js';

/** A fake engine whose every held-out image has loss script[epoch - 1] (and accuracy 1 - that / 10). */
function scripted(script: number[]): FakeEngine & { evaluated: number[] } {
  const engine = fakeEngine() as FakeEngine & { evaluated: number[] };
  engine.evaluated = [];
  let epoch = 0;
  let lastSteps = -1;
  engine.evaluate = async (images, labels, count) => {
    if (engine.steps.length !== lastSteps) {
      lastSteps = engine.steps.length;
      epoch++;
    }
    engine.evaluated.push(count);
    const loss = script[epoch - 1];
    const wrong = Math.round((loss / 10) * count);
    const predictions = new Uint8Array(count).map((_, i) => (i < wrong ? (labels[i] + 1) % 10 : labels[i]));
    void images;
    return { losses: new Float32Array(count).fill(loss), predictions };
  };
  return engine;
}

const hp = (over: Partial<Hyperparameters>): Hyperparameters => ({
  ...SEED_HYPERPARAMETERS,
  batchSize: 10,
  epochs: 8,
  ...over,
});

async function run(engine: FakeEngine, over: Partial<TrainOptions> = {}) {
  const events: TrainingEvent[] = [];
  for await (const e of train({
    engine,
    dataset: { train: syntheticSplit(100), test: syntheticSplit(20) },
    spec: PRESETS.seed,
    hyperparameters: hp({}),
    now: () => engine.clock,
    ...over,
  }))
    events.push(e);
  return {
    events,
    epochEnds: events.filter((e) => e.type === 'epochEnd'),
    end: events.at(-1) as Extract<TrainingEvent, { type: 'trainEnd' }>,
  };
}

test('--val holds out N class-balanced images chosen by the seed, never trained on', async () => {
  const split = splitValidation(syntheticSplit(100), 30, 7);
  assert.equal(split.val.count, 30);
  assert.equal(split.train.count, 70);
  const perClass = new Array(10).fill(0);
  for (const l of split.val.labels) perClass[l]++;
  assert.deepEqual(perClass, new Array(10).fill(3));
  assert.deepEqual(splitValidation(syntheticSplit(100), 30, 7).val.images, split.val.images, 'same seed, same split');
  assert.notDeepEqual(splitValidation(syntheticSplit(100), 30, 8).val.images, split.val.images, 'another seed');

  const engine = scripted([5, 4, 3]);
  const { events, epochEnds } = await run(engine, { hyperparameters: hp({ epochs: 3, validation: 30 }) });
  const begin = events[0] as Extract<TrainingEvent, { type: 'trainBegin' }>;
  assert.equal(begin.trainSize, 70);
  assert.equal(begin.valSize, 30);
  // splitValidation(…, seed 0) inside the loop: compare with the split the loop makes.
  const inLoop = splitValidation(syntheticSplit(100), 30, 0);
  const heldOut = new Set(Array.from({ length: 30 }, (_, i) => inLoop.val.images[i * PIXELS]));
  for (const s of engine.steps)
    for (const px of s.images) assert.ok(!heldOut.has(px), `trained on held-out image ${px}`);
  assert.deepEqual(engine.evaluated.slice(0, 2), [20, 30], 'test, then validation, after each epoch');
  for (const e of epochEnds) {
    assert.equal(e.valLoss, e.testLoss);
    assert.equal(typeof e.valAccuracy, 'number');
  }
});

test('--early-stop stops after PATIENCE epochs without improvement and hands over the best weights', async () => {
  const engine = scripted([5, 3, 4, 3, 3.5, 1, 1, 1]);
  const kept: { epoch: number; w: number }[] = [];
  const { epochEnds, end } = await run(engine, {
    hyperparameters: hp({ validation: 20, earlyStop: { patience: 3, monitor: 'loss' } }),
    onBestEpoch: (epoch, parameters) => void kept.push({ epoch, w: parameters.get('w')!.data[0] }),
  });
  // Epoch 2 (loss 3) is best; 3, 4 (equal is no improvement), 5 are not: stop after 5.
  assert.deepEqual(
    epochEnds.map((e) => [e.epoch, e.bestEpoch]),
    [
      [1, 1],
      [2, 2],
      [3, 2],
      [4, 2],
      [5, 2],
    ],
  );
  assert.equal(end.reason, 'stopped');
  assert.equal(end.epochsCompleted, 5);
  assert.equal(end.bestEpoch, 2);
  assert.deepEqual(end.earlyStop, { patience: 3, monitored: 'validation loss', bestEpoch: 2, best: 3 });
  assert.deepEqual(
    kept.map((k) => k.epoch),
    [1, 2],
  );
  // The weights handed over for epoch 2 are the engine's after epoch 2's steps (9 steps of 8 images per epoch).
  const replay = scripted([5, 3]);
  await run(replay, { hyperparameters: hp({ epochs: 2, validation: 20 }) });
  assert.equal(kept[1].w, replay.weight());
});

test('accuracy can be monitored; without --val the test set is, and a run without --early-stop runs every epoch', async () => {
  const stopped = await run(scripted([5, 3, 4, 4, 4, 4, 4, 4]), {
    hyperparameters: hp({ earlyStop: { patience: 2, monitor: 'accuracy' } }),
  });
  assert.equal(stopped.end.epochsCompleted, 4);
  assert.equal(stopped.end.earlyStop?.monitored, 'test accuracy');
  const all = await run(scripted([5, 3, 4, 4, 4, 4, 4, 4]));
  assert.equal(all.end.reason, 'completed');
  assert.equal(all.end.epochsCompleted, 8);
  assert.equal(all.end.bestEpoch, 2);
  assert.equal(all.end.earlyStop, undefined);
});

test('a resumed run continues the best epoch and patience from its history', async () => {
  const first = await run(scripted([5, 3, 4]), { hyperparameters: hp({ epochs: 3 }) });
  const resumed = await run(scripted([4, 4]), {
    hyperparameters: hp({ epochs: 8, earlyStop: { patience: 3, monitor: 'loss' } }),
    startEpoch: 4,
    history: first.end.history,
  });
  assert.equal(resumed.end.epochsCompleted, 5);
  assert.equal(resumed.end.earlyStop?.bestEpoch, 2);
});

test('bad validation and patience values are refused in one line', async () => {
  const cases: [Partial<Hyperparameters>, string][] = [
    [{ validation: 5 }, 'the validation split must be a whole number of at least 10 images, one per class (got 5)'],
    [{ validation: 100 }, 'a validation split of 100 leaves nothing to train on (the training set has 100 images)'],
    [
      { earlyStop: { patience: 0, monitor: 'loss' } },
      'early-stop patience must be a whole number of epochs of at least 1 (got 0)',
    ],
  ];
  for (const [over, message] of cases)
    await assert.rejects(run(fakeEngine(), { hyperparameters: hp(over) }), (err: Error) => {
      assert.ok(err instanceof UsageError, String(err));
      assert.equal(err.message, message);
      return true;
    });
});

test('the early-stop line says what was monitored, for how long, and the best value', () => {
  assert.equal(
    earlyStopMessage(5, { patience: 3, monitored: 'validation loss', bestEpoch: 2, best: 0.3123456 }),
    'stopped early after epoch 5: validation loss did not improve for 3 epochs (best 0.312346 at epoch 2)',
  );
  assert.equal(
    earlyStopMessage(4, { patience: 1, monitored: 'test accuracy', bestEpoch: 3, best: 0.91234 }),
    'stopped early after epoch 4: test accuracy did not improve for 1 epoch (best 91.23% at epoch 3)',
  );
});

test("with --val the seed's Test Error lines are followed by the same lines for the validation split", () => {
  const metrics = {
    epoch: 2,
    epochs: 5,
    trainLoss: 1,
    testLoss: 0.5,
    testAccuracy: 0.81,
    seconds: 1,
    samplesPerSecond: 1,
  };
  const base = { type: 'epochEnd' as const, ...metrics, learningRate: 0.1 };
  assert.equal(seedLines(base), 'Test Error: \n Accuracy: 81.0%, Avg loss: 0.500000 \n\n');
  assert.equal(
    seedLines({ ...base, valLoss: 0.25, valAccuracy: 0.9, bestEpoch: 2 }),
    'Test Error: \n Accuracy: 81.0%, Avg loss: 0.500000 \n\n' +
      'Validation Error: \n Accuracy: 90.0%, Avg loss: 0.250000 (best so far) \n\n',
  );
  assert.equal(
    seedLines({ ...base, valLoss: 0.25, valAccuracy: 0.9, bestEpoch: 1 }).split('\n')[4],
    ' Accuracy: 90.0%, Avg loss: 0.250000 ',
  );
});
