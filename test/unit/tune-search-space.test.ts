import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SEARCH_SPACE,
  gridSize,
  gridTrials,
  logSpace,
  planTrials,
  sampleRandomTrials,
  trialSpec,
  validateSearchSpace,
  type SearchSpace,
} from '../../src/core/tune/search-space.js';
import { PRESETS } from '../../src/core/model/spec.js';

test('random trials are the same for a seed and differ between seeds', () => {
  const a = sampleRandomTrials(DEFAULT_SEARCH_SPACE, 12, 7);
  assert.deepEqual(sampleRandomTrials(DEFAULT_SEARCH_SPACE, 12, 7), a);
  assert.notDeepEqual(sampleRandomTrials(DEFAULT_SEARCH_SPACE, 12, 8), a);
  assert.deepEqual(
    a.map((t) => t.id),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  );
});

test('random trials cover every model × optimizer combination and stay inside the ranges', () => {
  for (const seed of [0, 1, 2, 3]) {
    const trials = sampleRandomTrials(DEFAULT_SEARCH_SPACE, 6, seed);
    const combos = new Set(trials.map((t) => `${t.preset}/${t.optimizer}`));
    assert.equal(combos.size, 6, `seed ${seed}: ${[...combos]}`);
    for (const t of sampleRandomTrials(DEFAULT_SEARCH_SPACE, 40, seed)) {
      const r = DEFAULT_SEARCH_SPACE.learningRates[t.optimizer];
      // rounded to 2 significant digits, so allow the rounding
      assert.ok(t.learningRate >= r.min * 0.95 && t.learningRate <= r.max * 1.05, `${t.optimizer} ${t.learningRate}`);
      assert.ok(DEFAULT_SEARCH_SPACE.batchSizes.includes(t.batchSize));
      assert.equal(String(t.learningRate), String(Number(t.learningRate.toPrecision(2))));
    }
  }
});

test('learning rates are spread over the log range (one per stratum)', () => {
  const space: SearchSpace = {
    ...DEFAULT_SEARCH_SPACE,
    presets: ['recommended'],
    optimizers: ['adam'],
    learningRates: { ...DEFAULT_SEARCH_SPACE.learningRates, adam: { min: 1e-4, max: 1 } },
  };
  const decades = sampleRandomTrials(space, 4, 5).map((t) => Math.floor(Math.log10(t.learningRate)));
  assert.deepEqual([...decades].sort(), [-1, -2, -3, -4]);
});

test('grid: every combination, log-spaced learning rates', () => {
  const space: SearchSpace = {
    ...DEFAULT_SEARCH_SPACE,
    presets: ['recommended'],
    optimizers: ['sgd', 'adam'],
    batchSizes: [64, 128],
    learningRates: {
      ...DEFAULT_SEARCH_SPACE.learningRates,
      sgd: { min: 0.01, max: 1 },
      adam: { min: 1e-3, max: 1e-3 },
    },
    gridLearningRates: 3,
  };
  const grid = gridTrials(space);
  assert.equal(grid.length, 2 * 3 + 2 * 1);
  assert.equal(gridSize(space), grid.length);
  assert.deepEqual(
    grid.filter((t) => t.optimizer === 'sgd' && t.batchSize === 64).map((t) => t.learningRate),
    [0.01, 0.1, 1],
  );
  assert.deepEqual(
    grid.filter((t) => t.optimizer === 'adam').map((t) => t.learningRate),
    [1e-3, 1e-3],
  );
  assert.deepEqual(planTrials(space, 'grid', 99, 0), grid);
  assert.deepEqual(logSpace(1e-4, 1e-2, 1), [1e-3]);
});

test('a grid larger than the cap is refused in one line', () => {
  const space: SearchSpace = {
    ...DEFAULT_SEARCH_SPACE,
    batchSizes: [16, 32, 64, 128, 256, 512],
    hidden: [[16], [32], [64], [128]],
    gridLearningRates: 5,
  };
  assert.throws(
    () => planTrials(space, 'grid', 8, 0),
    (e: Error) => /^search: the grid has 720 combinations, more than 256; /.test(e.message),
  );
});

test('trialSpec keeps the preset (final ReLU or not) and swaps hidden sizes when asked', () => {
  assert.equal(trialSpec({ preset: 'seed', hidden: [512, 512] }), PRESETS.seed);
  const s = trialSpec({ preset: 'recommended', hidden: [128] });
  assert.deepEqual(s.hidden, [{ units: 128, activation: 'relu', dropout: 0 }]);
  assert.equal(s.finalActivation, 'none');
});

test('bad ranges and choices are refused in one line', () => {
  const lr = DEFAULT_SEARCH_SPACE.learningRates;
  const cases: [Partial<SearchSpace>, RegExp][] = [
    [
      { learningRates: { ...lr, adam: { min: 1e-2, max: 1e-4 } } },
      /^search: the lowest learning rate \(0.01\) is above the highest \(0.0001\); swap them$/,
    ],
    [
      { learningRates: { ...lr, sgd: { min: 0, max: 1 } } },
      /^search: learning rates must be numbers above 0 \(got 0 to 1 for sgd\)$/,
    ],
    [{ learningRates: { ...lr, sgd: { min: -1, max: 1 } } }, /learning rates must be numbers above 0/],
    [
      { learningRates: { ...lr, sgd: { min: 1e-3, max: 100 } } },
      /^search: learning rates must lie between 1e-8 and 10 \(got 0.001 to 100 for sgd\)$/,
    ],
    [{ learningRates: { ...lr, sgd: { min: NaN, max: 1 } } }, /learning rates must be numbers above 0/],
    [{ batchSizes: [] }, /^search: give at least one batch size to try$/],
    [{ batchSizes: [0] }, /^search: batch sizes must be whole numbers of at least 1 \(got 0\)$/],
    [{ batchSizes: [100000] }, /^search: batch size 100000 is larger than the training set \(60000 images\)$/],
    [{ optimizers: [] }, /^search: give at least one optimizer to try$/],
    [
      { optimizers: ['adagrad' as never] },
      /^search: unknown optimizer 'adagrad' \(choose sgd, adam, rmsprop, adamw\)$/,
    ],
    [{ presets: ['huge' as never] }, /^search: unknown preset 'huge' \(choose seed, recommended, cnn, best\)$/],
    [{ hidden: [[0]] }, /^search: hidden layer sizes must be whole numbers from 1 to 8192 \(got '0'\)$/],
    [{ hidden: [[]] }, /^search: hidden sizes need 1 to 8 layers/],
    [{ gridLearningRates: 0 }, /grid learning rates per optimizer must be a whole number from 1 to 20/],
    [
      { presets: ['cnn', 'best'], hidden: [[256]] },
      /^search: hidden sizes shape the MLP presets \(seed, recommended\); cnn, best are layer lists: /,
    ],
  ];
  for (const [patch, message] of cases)
    assert.throws(
      () => validateSearchSpace({ ...DEFAULT_SEARCH_SPACE, ...patch }, 60000),
      (e: Error) => e.name === 'UsageError' && message.test(e.message),
      JSON.stringify(patch),
    );
  assert.equal(validateSearchSpace(DEFAULT_SEARCH_SPACE, 60000), DEFAULT_SEARCH_SPACE);
});

test('hidden sizes vary the MLP presets only: a layer-list preset trains its own layers', () => {
  const space: SearchSpace = {
    ...DEFAULT_SEARCH_SPACE,
    presets: ['cnn', 'seed'],
    hidden: [[256], [128, 64]],
    optimizers: ['adam'],
  };
  const trials = gridTrials(validateSearchSpace(space, 60000));
  const cnn = trials.filter((t) => t.preset === 'cnn');
  assert.ok(cnn.length > 0);
  for (const t of cnn) assert.deepEqual(trialSpec(t), PRESETS.cnn);
  assert.deepEqual(
    [...new Set(trials.filter((t) => t.preset === 'seed').map((t) => t.hidden.join(',')))],
    ['256', '128,64'],
  );
  // Random mode draws the same combinations: cnn once, seed with each hidden choice.
  const drawn = sampleRandomTrials(space, 3, 0);
  assert.deepEqual(drawn.map((t) => `${t.preset} ${t.hidden.join(',')}`).sort(), ['cnn ', 'seed 128,64', 'seed 256']);
});
