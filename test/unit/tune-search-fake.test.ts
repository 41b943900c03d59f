import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeEngine, syntheticSplit } from './tune-fake-engine.js';
import { runSearch, type SearchEvent } from '../../src/tune/search.js';
import { planTrials, DEFAULT_SEARCH_SPACE, type SearchSpace } from '../../src/core/tune/search-space.js';
import { rankTrials, type SearchBudget } from '../../src/core/tune/halving.js';
import type { EngineOptions } from '../../src/core/train/engine.js';

const train = syntheticSplit(600, 1);
const testSplit = syntheticSplit(100, 2);
const space: SearchSpace = {
  ...DEFAULT_SEARCH_SPACE,
  presets: ['recommended', 'seed'],
  hidden: [[8]],
  optimizers: ['sgd', 'adam'],
  batchSizes: [32, 64],
  learningRates: {
    ...DEFAULT_SEARCH_SPACE.learningRates,
    sgd: { min: 1e-3, max: 3e-1 },
    adam: { min: 1e-4, max: 3e-2 },
  },
};
const budget: SearchBudget = { trials: 8, epochs: 4, halving: true, eta: 2 };

async function collect(seed: number, b = budget) {
  const made: EngineOptions[] = [];
  const events: SearchEvent[] = [];
  let alive = 0;
  let maxAlive = 0;
  for await (const e of runSearch({
    train,
    test: testSplit,
    trials: planTrials(space, 'random', b.trials, seed),
    budget: b,
    seed,
    createEngine: async (o) => {
      made.push(o);
      const engine = await createFakeEngine(o);
      maxAlive = Math.max(maxAlive, ++alive);
      const dispose = engine.dispose.bind(engine);
      return Object.assign(engine, { dispose: async () => (alive--, dispose()) });
    },
  }))
    events.push(e);
  assert.equal(alive, 0, 'every engine disposed');
  return { events, made, maxAlive };
}

const strip = (events: SearchEvent[]) => JSON.stringify(events, (k, v) => (k === 'seconds' ? 0 : v));

test('the search is deterministic for a seed (trials, losses, accuracies, ranking)', async () => {
  const a = await collect(11);
  const b = await collect(11);
  assert.equal(strip(a.events), strip(b.events));
  const c = await collect(12);
  assert.notEqual(strip(c.events), strip(a.events));
});

test('successive halving keeps the best half after each rung and trains the rest no further', async () => {
  const { events, made, maxAlive } = await collect(11);
  const begin = events[0];
  assert.equal(begin.type, 'searchBegin');
  if (begin.type !== 'searchBegin') return;
  assert.deepEqual(
    begin.rungs.map((r) => [r.epochs, r.trials]),
    [
      [1, 8],
      [2, 4],
      [4, 2],
    ],
  );
  assert.equal(begin.totalEpochs, 16);

  // Trials sharing a model and optimizer run back to back on one engine; one engine alive at a time.
  assert.equal(maxAlive, 1);
  // At most one engine per distinct (model, optimizer) in each rung: 4 + 4 + 2.
  assert.ok(made.length <= 10, `${made.length} engines`);

  const rungEnds = events.filter((e) => e.type === 'rungEnd');
  assert.equal(rungEnds.length, 3);
  // At each rung, the kept trials are the best by accuracy (then loss) of the trials that ran it.
  let active = begin.trials.map((t) => t.id);
  const latest = new Map<
    number,
    { id: number; testAccuracy?: number; testLoss?: number; diverged?: boolean; epochs: number }
  >();
  let rungIndex = 0;
  for (const e of events) {
    if (e.type === 'trialEpoch') latest.set(e.trial.id, e.trial);
    if (e.type !== 'rungEnd') continue;
    const rung: { epochs: number } = begin.rungs[rungIndex++];
    for (const id of active)
      assert.equal(latest.get(id)!.epochs, latest.get(id)!.diverged ? latest.get(id)!.epochs : rung.epochs);
    const want: number[] = rankTrials(active.map((id) => latest.get(id)!))
      .filter((t) => !t.diverged)
      .slice(0, begin.rungs[rungIndex]?.trials ?? active.length)
      .map((t) => t.id);
    assert.deepEqual(e.kept, want);
    for (const id of e.stopped) assert.ok(!e.kept.includes(id));
    active = [...e.kept];
  }
  const end = events.at(-1)!;
  assert.equal(end.type, 'searchEnd');
  if (end.type !== 'searchEnd') return;
  assert.equal(end.reason, 'completed');
  assert.ok(end.best && active.includes(end.best.id));
  assert.equal(end.best!.epochs, 4);
  assert.equal(end.best!.status, 'done');
  assert.equal(end.ranking.length, 8);
  // Stopped trials trained exactly as far as the rung they were cut at.
  const stoppedAfterFirst = (rungEnds[0] as Extract<SearchEvent, { type: 'rungEnd' }>).stopped;
  for (const id of stoppedAfterFirst) assert.ok(end.ranking.find((t) => t.id === id)!.epochs <= 1);
});

test('a class-balanced subset is what each epoch trains on', async () => {
  const { events } = await collect(3, { ...budget, trials: 2, epochs: 1, subset: 200 });
  const begin = events[0] as Extract<SearchEvent, { type: 'searchBegin' }>;
  assert.equal(begin.trainSize, 200);
  const progress = events.filter((e) => e.type === 'trialProgress');
  assert.equal(Math.max(...progress.map((p) => (p.type === 'trialProgress' ? p.samplesSeen : 0))), 200);
});

test('a diverging trial is marked and dropped, not ranked first', async () => {
  const wild: SearchSpace = {
    ...space,
    presets: ['recommended'],
    optimizers: ['sgd'],
    batchSizes: [32],
    learningRates: { ...space.learningRates, sgd: { min: 9, max: 10 } },
  };
  const events: SearchEvent[] = [];
  const trials = [
    ...planTrials(space, 'random', 2, 1).map((t, i) => ({ ...t, id: i + 1 })),
    { ...planTrials(wild, 'random', 1, 1)[0], id: 3 },
  ];
  for await (const e of runSearch({
    train,
    test: testSplit,
    trials,
    budget: { trials: 3, epochs: 2, halving: true, eta: 2 },
    seed: 1,
    createEngine: createFakeEngine,
  }))
    events.push(e);
  const end = events.at(-1) as Extract<SearchEvent, { type: 'searchEnd' }>;
  const t3 = end.ranking.find((t) => t.id === 3)!;
  // Either the loss went NaN (diverged) or it stayed finite but hopeless (cut by halving).
  assert.ok(t3.status === 'diverged' || t3.status === 'stopped', t3.status);
  assert.notEqual(end.best?.id, 3);
});

test('aborting ends the search with what it has', async () => {
  const controller = new AbortController();
  const events: SearchEvent[] = [];
  for await (const e of runSearch({
    train,
    test: testSplit,
    trials: planTrials(space, 'random', 4, 2),
    budget: { ...budget, trials: 4 },
    seed: 2,
    createEngine: createFakeEngine,
    signal: controller.signal,
  })) {
    events.push(e);
    if (e.type === 'trialEpoch' && e.trial.id === 2) controller.abort();
  }
  const end = events.at(-1) as Extract<SearchEvent, { type: 'searchEnd' }>;
  assert.equal(end.type, 'searchEnd');
  assert.equal(end.reason, 'aborted');
  assert.ok(!events.some((e) => e.type === 'rungEnd'));
  assert.ok(end.best && [1, 2].includes(end.best.id));
});
