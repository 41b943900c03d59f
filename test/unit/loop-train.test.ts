import { test } from 'node:test';
import assert from 'node:assert/strict';
import { train, type TrainOptions } from '../../src/core/train/loop.js';
import { createTrainController, type TrainController } from '../../src/core/train/controller.js';
import { epochOrder, dropoutSeed } from '../../src/core/train/batches.js';
import { learningRateAt } from '../../src/core/train/schedule.js';
import {
  SEED_HYPERPARAMETERS,
  OPTIMIZER_DEFAULTS,
  type Hyperparameters,
} from '../../src/core/train/hyperparameters.js';
import type { TrainingEvent } from '../../src/core/train/events.js';
import { PRESETS } from '../../src/core/model/spec.js';
import { UsageError } from '../../src/core/errors.js';
import { fakeEngine, syntheticSplit, type FakeEngine } from './loop-fake-engine.js';

const dataset = { train: syntheticSplit(10), test: syntheticSplit(5) };
const hp = (over: Partial<Hyperparameters> = {}): Hyperparameters => ({
  ...SEED_HYPERPARAMETERS,
  batchSize: 4,
  epochs: 2,
  ...over,
});

function options(engine: FakeEngine, over: Partial<TrainOptions> = {}): TrainOptions {
  return {
    engine,
    dataset,
    spec: PRESETS.seed,
    hyperparameters: hp(),
    now: () => engine.clock,
    stepsPerCall: 1,
    ...over,
  };
}

/** Runs train(), calling `onEvent` for each event (to send commands), and returns all events. */
async function collect(
  opts: TrainOptions,
  onEvent?: (e: TrainingEvent, control: TrainController) => void,
): Promise<TrainingEvent[]> {
  const events: TrainingEvent[] = [];
  for await (const e of train(opts)) {
    events.push(e);
    if (onEvent && opts.commands) onEvent(e, opts.commands);
  }
  return events;
}
const ofType = <T extends TrainingEvent['type']>(events: TrainingEvent[], type: T) =>
  events.filter((e): e is Extract<TrainingEvent, { type: T }> => e.type === type);

test('events come in order; batches follow the DataLoader with the last partial batch trained', async () => {
  const engine = fakeEngine();
  const events = await collect(options(engine));
  assert.deepEqual(
    events.map((e) => e.type),
    [
      'trainBegin',
      'epochBegin',
      'batchEnd',
      'batchEnd',
      'batchEnd',
      'epochEnd',
      'epochBegin',
      'batchEnd',
      'batchEnd',
      'batchEnd',
      'epochEnd',
      'trainEnd',
    ],
  );
  assert.deepEqual(
    engine.steps.slice(0, 3).map((s) => s.images),
    [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ],
  );
  const batches = ofType(events, 'batchEnd');
  assert.deepEqual(
    batches.map((b) => [b.epoch, b.batch, b.step, b.samplesSeen, b.count]),
    [
      [1, 0, 0, 4, 4],
      [1, 1, 1, 8, 4],
      [1, 2, 2, 10, 2],
      [2, 0, 3, 4, 4],
      [2, 1, 4, 8, 4],
      [2, 2, 5, 10, 2],
    ],
  );
  const begin = ofType(events, 'trainBegin')[0];
  assert.equal(begin.stepsPerEpoch, 3);
  assert.equal(begin.trainSize, 10);
  assert.equal(begin.testSize, 5);
  const end = ofType(events, 'trainEnd')[0];
  assert.equal(end.reason, 'completed');
  assert.equal(end.epochsCompleted, 2);
  assert.deepEqual(end.at, { epoch: 3, batch: 0 });
  assert.equal(end.step, 6);
  assert.equal(end.history.length, 2);
});

test("epoch metrics: train loss is the mean of batch losses; test loss is the seed's mean of batch means", async () => {
  const engine = fakeEngine();
  const events = await collect(options(engine, { hyperparameters: hp({ epochs: 1 }) }));
  const losses = ofType(events, 'batchEnd').map((b) => b.loss);
  const end = ofType(events, 'epochEnd')[0];
  assert.ok(Math.abs(end.trainLoss - (losses[0] + losses[1] + losses[2]) / 3) < 1e-12);
  // test images 0..4 in batches of 4: per-sample loss = pixel + w (float32)
  const w = Math.fround(engine.weight());
  const l = (i: number) => Math.fround(i + w);
  const expected = ((l(0) + l(1) + l(2) + l(3)) / 4 + l(4)) / 2;
  assert.ok(Math.abs(end.testLoss - expected) < 1e-9, `${end.testLoss} vs ${expected}`);
  assert.equal(end.testAccuracy, 1); // labels 0..4 are all predicted right by the fake
  // the fake clock advances 1 s per trainSteps call: 3 calls
  assert.equal(end.seconds, 3);
  assert.ok(Math.abs(end.samplesPerSecond - 10 / 3) < 1e-12);
  // three batches, each its own bucket: the whole-run batch-loss line keeps them (6 significant digits)
  assert.deepEqual(
    end.batchLoss,
    losses.map((x) => Number(x.toPrecision(6))),
  );
});

test('test accuracy counts correct predictions over the whole test split', async () => {
  const engine = fakeEngine();
  const events = await collect(
    options(engine, {
      dataset: { train: syntheticSplit(10), test: syntheticSplit(20) },
      hyperparameters: hp({ epochs: 1 }),
    }),
  );
  assert.equal(ofType(events, 'epochEnd')[0].testAccuracy, 0.5);
});

test('groups of steps never exceed stepsPerCall nor cross an epoch', async () => {
  const engine = fakeEngine();
  await collect(options(engine, { dataset: { train: syntheticSplit(30), test: syntheticSplit(5) }, stepsPerCall: 3 }));
  assert.deepEqual(engine.groups, [3, 3, 2, 3, 3, 2]);
});

test('shuffle: each epoch is a permutation derived from seed and epoch, the same on every run', async () => {
  const run = async (seed: number) => {
    const engine = fakeEngine();
    await collect(options(engine, { hyperparameters: hp({ shuffle: true, seed, epochs: 2 }) }));
    return engine.steps.map((s) => s.images);
  };
  const a = await run(7);
  const epoch1 = a.slice(0, 3).flat();
  const epoch2 = a.slice(3).flat();
  assert.deepEqual(
    [...epoch1].sort((x, y) => x - y),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.deepEqual(epoch1, [...epochOrder(10, true, 7, 1)!]);
  assert.deepEqual(epoch2, [...epochOrder(10, true, 7, 2)!]);
  assert.notDeepEqual(epoch1, epoch2);
  assert.deepEqual(await run(7), a);
  assert.notDeepEqual(await run(8), a);
});

test('each step gets its scheduled learning rate and a dropout seed from seed and global step', async () => {
  const engine = fakeEngine();
  const schedule = { kind: 'cosine', tMax: 0, etaMin: 0 } as const;
  await collect(options(engine, { hyperparameters: hp({ schedule, learningRate: 0.1, seed: 3 }) }));
  assert.deepEqual(
    engine.steps.map((s) => s.learningRate),
    [0, 1, 2, 3, 4, 5].map((s) => learningRateAt(schedule, 0.1, s, 6)),
  );
  assert.deepEqual(
    engine.steps.map((s) => s.dropoutSeed),
    [0, 1, 2, 3, 4, 5].map((s) => dropoutSeed(3, s)),
  );
  assert.equal(new Set(engine.steps.map((s) => s.dropoutSeed)).size, 6);
});

test('setLearningRate changes the base learning rate from the next step on', async () => {
  const engine = fakeEngine();
  const commands = createTrainController();
  const schedule = { kind: 'step', stepSize: 2, gamma: 0.5 } as const;
  const events = await collect(
    options(engine, { commands, hyperparameters: hp({ schedule, learningRate: 0.1 }) }),
    (e, c) => {
      if (e.type === 'batchEnd' && e.step === 1) c.setLearningRate(1);
    },
  );
  assert.deepEqual(
    engine.steps.map((s) => s.learningRate),
    [0.1, 0.1, 0.5, 0.5, 0.25, 0.25],
  );
  assert.deepEqual(ofType(events, 'learningRateChanged'), [{ type: 'learningRateChanged', learningRate: 1 }]);
  assert.equal(ofType(events, 'trainEnd')[0].hyperparameters?.learningRate, 1);
});

test('addEpochs extends the run (and the cosine schedule with it)', async () => {
  const engine = fakeEngine();
  const commands = createTrainController();
  const events = await collect(options(engine, { commands, hyperparameters: hp({ epochs: 1 }) }), (e, c) => {
    if (e.type === 'batchEnd' && e.step === 0) c.addEpochs(2);
  });
  assert.deepEqual(ofType(events, 'epochsChanged'), [{ type: 'epochsChanged', epochs: 3 }]);
  assert.equal(ofType(events, 'epochEnd').length, 3);
  assert.deepEqual(
    ofType(events, 'epochBegin').map((e) => e.epochs),
    [1, 3, 3],
  );
  const end = ofType(events, 'trainEnd')[0];
  assert.equal(end.reason, 'completed');
  assert.equal(end.hyperparameters?.epochs, 3);
});

test('stopAfterEpoch finishes the epoch, its test pass, then ends as stopped', async () => {
  const engine = fakeEngine();
  const commands = createTrainController();
  const events = await collect(options(engine, { commands, hyperparameters: hp({ epochs: 3 }) }), (e, c) => {
    if (e.type === 'batchEnd' && e.step === 0) c.stopAfterEpoch();
  });
  assert.equal(ofType(events, 'epochEnd').length, 1);
  const end = ofType(events, 'trainEnd')[0];
  assert.equal(end.reason, 'stopped');
  assert.equal(end.epochsCompleted, 1);
  assert.deepEqual(end.at, { epoch: 2, batch: 0 });
});

test('abort stops after the current step, without a test pass, and says where', async () => {
  const engine = fakeEngine();
  const commands = createTrainController();
  const events = await collect(options(engine, { commands }), (e, c) => {
    if (e.type === 'batchEnd' && e.step === 4) c.abort();
  });
  assert.equal(engine.steps.length, 5);
  assert.equal(ofType(events, 'epochEnd').length, 1);
  const end = events.at(-1)!;
  assert.equal(end.type, 'trainEnd');
  if (end.type !== 'trainEnd') return;
  assert.equal(end.reason, 'aborted');
  assert.equal(end.epochsCompleted, 1);
  assert.deepEqual(end.at, { epoch: 2, batch: 2 });
  assert.equal(end.step, 5);
});

test('an aborted AbortSignal stops the loop the same way', async () => {
  const engine = fakeEngine();
  const ac = new AbortController();
  const events: TrainingEvent[] = [];
  for await (const e of train(options(engine, { signal: ac.signal }))) {
    events.push(e);
    if (e.type === 'batchEnd' && e.step === 1) ac.abort();
  }
  const end = ofType(events, 'trainEnd')[0];
  assert.equal(end.reason, 'aborted');
  assert.deepEqual(end.at, { epoch: 1, batch: 2 });
  assert.equal(engine.steps.length, 2);
});

test('pause holds training until resume; paused and resumed say where', async () => {
  const engine = fakeEngine();
  const commands = createTrainController();
  const it = train(options(engine, { commands }))[Symbol.asyncIterator]();
  let e: IteratorResult<TrainingEvent>;
  do e = await it.next();
  while (!(e.value?.type === 'batchEnd' && e.value.step === 0));
  commands.pause();
  e = await it.next();
  assert.deepEqual(e.value, { type: 'paused', at: { epoch: 1, batch: 1 } });
  const stepsAtPause = engine.steps.length;
  const pending = it.next();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(engine.steps.length, stepsAtPause, 'no step runs while paused');
  commands.setLearningRate(0.5); // commands other than resume are taken while paused
  assert.deepEqual((await pending).value, { type: 'learningRateChanged', learningRate: 0.5 });
  const next = it.next();
  commands.resume();
  assert.deepEqual((await next).value, { type: 'resumed', at: { epoch: 1, batch: 1 } });
  const rest: TrainingEvent[] = [];
  for (e = await it.next(); !e.done; e = await it.next()) rest.push(e.value);
  assert.equal(ofType(rest, 'trainEnd')[0].reason, 'completed');
  assert.equal(engine.steps[1].learningRate, 0.5);
});

test('abort while paused ends the run', async () => {
  const engine = fakeEngine();
  const commands = createTrainController();
  const events = await collect(options(engine, { commands }), (e, c) => {
    if (e.type === 'batchEnd' && e.step === 0) c.pause();
    if (e.type === 'paused') setTimeout(() => c.abort(), 5);
  });
  assert.deepEqual(
    events.slice(-3).map((e) => e.type),
    ['paused', 'resumed', 'trainEnd'],
  );
  assert.equal(ofType(events, 'trainEnd')[0].reason, 'aborted');
});

test('a NaN or infinite loss ends the stream with one error naming the learning rate and optimizer', async () => {
  for (const [bad, word] of [
    [NaN, 'NaN'],
    [Infinity, 'infinite'],
  ] as const) {
    const engine = fakeEngine();
    engine.forceLoss = (s) => (s === 4 ? bad : undefined);
    const events = await collect(
      options(engine, {
        hyperparameters: hp({ learningRate: 5, optimizer: { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9 } }),
      }),
    );
    const last = events.at(-1)!;
    assert.equal(last.type, 'error');
    if (last.type !== 'error') return;
    assert.equal(
      last.message,
      `the loss became ${word} at epoch 2, batch 1: the learning rate 5 is likely too high for sgd (momentum 0.9) ` +
        '(it usually works from 1e-3 to 0.1); try 0.1 or lower',
    );
    assert.deepEqual(last.at, { epoch: 2, batch: 1 });
    assert.equal(ofType(events, 'trainEnd').length, 0);
  }
});

test('a run stopped mid-epoch and resumed from (startEpoch, startStep) equals the uninterrupted run', async () => {
  const h = hp({
    epochs: 3,
    shuffle: true,
    seed: 11,
    learningRate: 0.3,
    schedule: { kind: 'cosine', tMax: 0, etaMin: 0.01 },
  });
  const full = fakeEngine();
  const fullEvents = await collect(options(full, { hyperparameters: h }));

  const first = fakeEngine();
  const commands = createTrainController();
  const firstEvents = await collect(options(first, { hyperparameters: h, commands }), (e, c) => {
    if (e.type === 'batchEnd' && e.step === 4) c.abort();
  });
  const stop = ofType(firstEvents, 'trainEnd')[0];
  const second = fakeEngine();
  await second.setParameters(await first.getParameters());
  const secondEvents = await collect(
    options(second, {
      hyperparameters: h,
      startEpoch: stop.epochsCompleted + 1,
      startStep: stop.step,
      history: stop.history,
    }),
  );
  assert.deepEqual([...first.steps, ...second.steps], full.steps);
  assert.equal(second.weight(), full.weight());
  const losses = (ev: TrainingEvent[]) => ofType(ev, 'batchEnd').map((b) => [b.step, b.loss]);
  assert.deepEqual([...losses(firstEvents), ...losses(secondEvents)], losses(fullEvents));
  const endA = ofType(fullEvents, 'trainEnd')[0];
  const endB = ofType(secondEvents, 'trainEnd')[0];
  assert.deepEqual(
    endB.history.map((m) => m.epoch),
    [1, 2, 3],
  );
  assert.deepEqual(
    endB.history.map((m) => [m.testLoss, m.testAccuracy]),
    endA.history.map((m) => [m.testLoss, m.testAccuracy]),
  );
  assert.equal(ofType(secondEvents, 'trainBegin')[0].startEpoch, 2);
  assert.deepEqual(ofType(secondEvents, 'batchEnd')[0].batch, 2);
});

test('a start step outside the start epoch is refused', async () => {
  const engine = fakeEngine();
  await assert.rejects(collect(options(engine, { startEpoch: 2, startStep: 1 })), (err: Error) => {
    assert.ok(err instanceof UsageError);
    assert.match(err.message, /^start step 1 is not inside epoch 2 \(3 steps per epoch\)/);
    return true;
  });
});

test('invalid hyperparameters are refused before any step', async () => {
  const engine = fakeEngine();
  await assert.rejects(
    collect(options(engine, { hyperparameters: hp({ batchSize: 11 }) })),
    /batch size 11 is larger than the training set \(10 images\)/,
  );
  assert.equal(engine.steps.length, 0);
});

test('the controller refuses invalid commands in one line', () => {
  const c = createTrainController();
  const cases: [() => void, RegExp][] = [
    [() => c.setLearningRate(0), /^learning rate must be a number above 0, e.g. 1e-3 \(got 0\)$/],
    [() => c.setLearningRate(NaN), /^learning rate must be a number above 0, e.g. 1e-3 \(got NaN\)$/],
    [() => c.addEpochs(0), /^epochs to add must be a whole number of at least 1 \(got 0\)$/],
    [() => c.addEpochs(1.5), /^epochs to add must be a whole number of at least 1 \(got 1.5\)$/],
  ];
  for (const [send, message] of cases)
    assert.throws(send, (err: Error) => err instanceof UsageError && message.test(err.message));
  assert.deepEqual(c.take(), []);
});

test('a pause does not count in the run’s seconds (issue 11 item 13: 24 s shown for 6.3 s of training)', async () => {
  const engine = fakeEngine();
  let pausedFor = 0;
  const commands = createTrainController();
  const plain = await collect(options(fakeEngine()));
  const events: TrainingEvent[] = [];
  for await (const e of train(options(engine, { commands, now: () => engine.clock + pausedFor }))) {
    events.push(e);
    if (e.type === 'batchEnd' && e.step === 0) commands.pause();
    if (e.type === 'paused')
      setTimeout(() => {
        pausedFor += 60_000; // a minute passes while paused
        commands.resume();
      }, 5);
  }
  assert.ok(ofType(events, 'resumed').length === 1);
  assert.equal(ofType(events, 'trainEnd')[0].seconds, ofType(plain, 'trainEnd')[0].seconds);
});
