// The search over the training-recipe knobs: every combination is tried, a trial's hyperparameters
// and printed flags carry its recipe, and bad values are one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchSettingsFromValues } from '../../src/config/tune-flags.js';
import { UsageError } from '../../src/core/errors.js';
import { trainFlags, trialHyperparameters } from '../../src/core/tune/report.js';
import { DEFAULT_SEARCH_SPACE, gridSize, planTrials } from '../../src/core/tune/search-space.js';

const space = {
  ...DEFAULT_SEARCH_SPACE,
  presets: ['recommended' as const],
  optimizers: ['adamw' as const],
  batchSizes: [64],
  recipe: { augment: [false, true], labelSmoothing: [0, 0.1], schedules: ['constant' as const, 'onecycle' as const] },
};

test('random and grid searches try every recipe combination', () => {
  const random = planTrials(space, 'random', 8, 0);
  const seen = new Set(random.map((t) => JSON.stringify(t.recipe)));
  assert.equal(seen.size, 8, [...seen].join(' '));
  assert.equal(gridSize({ ...space, gridLearningRates: 2 }), 16);
  assert.equal(planTrials({ ...space, gridLearningRates: 2 }, 'grid', 0, 0).length, 16);
});

test("a trial's hyperparameters and train flags carry its recipe", () => {
  const trial = {
    ...planTrials(space, 'grid', 0, 0)[0],
    recipe: { augment: true, labelSmoothing: 0.1, schedule: 'onecycle' as const, weightDecay: 1e-4 },
  };
  const hp = trialHyperparameters(trial, { epochs: 3, seed: 2 });
  assert.deepEqual(hp.augment, { flip: true, crop: 2, erase: false });
  assert.equal(hp.labelSmoothing, 0.1);
  assert.deepEqual(hp.schedule, { kind: 'onecycle' });
  assert.equal(hp.optimizer.weightDecay, 1e-4);
  const flags = trainFlags(trial, { epochs: 3, seed: 2 }).join(' ');
  assert.match(flags, /--augment flip,crop:2 --label-smoothing 0\.1 --schedule onecycle --weight-decay 1e-4$/);
  const plain = trialHyperparameters(
    { ...trial, recipe: { augment: false, labelSmoothing: 0 } },
    { epochs: 3, seed: 2 },
  );
  assert.ok(!('augment' in plain) && !('labelSmoothing' in plain));
});

test('tune flags build the recipe space; bad values are refused in one line', () => {
  const { space: s } = searchSettingsFromValues({
    augments: 'off,on',
    'label-smoothings': '0,0.1',
    schedules: 'constant,onecycle',
    'weight-decays': '0,1e-4',
    presets: 'cnn,recommended',
  });
  assert.deepEqual(s.recipe, {
    augment: [false, true],
    labelSmoothing: [0, 0.1],
    schedules: ['constant', 'onecycle'],
    weightDecays: [0, 1e-4],
  });
  assert.deepEqual(s.presets, ['cnn', 'recommended']);
  for (const [values, message] of [
    [{ augments: 'maybe' }, "--augments: unknown value 'maybe' (choose off, on)"],
    [{ schedules: 'step' }, "--schedules: unknown value 'step' (choose constant, cosine, onecycle)"],
    [{ 'label-smoothings': '2' }, 'search: label smoothing must be between 0 and 1 (got 2)'],
  ] as const)
    assert.throws(
      () => searchSettingsFromValues(values),
      (e: Error) => e instanceof UsageError && e.message === message,
    );
});
