import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  halvingPlan,
  planEpochs,
  rankTrials,
  survivors,
  validateBudget,
  type SearchBudget,
} from '../../src/core/tune/halving.js';

test('successive halving plans: rungs double the epochs and halve the trials', () => {
  const cases: [Pick<SearchBudget, 'epochs' | 'halving' | 'eta'>, number, [number, number][], number][] = [
    [
      { epochs: 3, halving: true, eta: 2 },
      12,
      [
        [1, 12],
        [2, 6],
        [3, 3],
      ],
      12 + 6 + 3,
    ],
    [
      { epochs: 4, halving: true, eta: 2 },
      8,
      [
        [1, 8],
        [2, 4],
        [4, 2],
      ],
      8 + 4 + 4,
    ],
    [
      { epochs: 9, halving: true, eta: 3 },
      9,
      [
        [1, 9],
        [3, 3],
        [9, 1],
      ],
      9 + 6 + 6,
    ],
    [
      { epochs: 10, halving: true, eta: 2 },
      2,
      [
        [1, 2],
        [2, 1],
        [4, 1],
        [8, 1],
        [10, 1],
      ],
      2 + 1 + 2 + 4 + 2,
    ],
    [{ epochs: 1, halving: true, eta: 2 }, 5, [[1, 5]], 5],
    [{ epochs: 3, halving: false, eta: 2 }, 4, [[3, 4]], 12],
    [{ epochs: 3, halving: true, eta: 2 }, 1, [[3, 1]], 3],
  ];
  for (const [budget, trials, rungs, total] of cases) {
    const plan = halvingPlan(budget, trials);
    assert.deepEqual(
      plan.map((r) => [r.epochs, r.trials]),
      rungs,
      JSON.stringify(budget),
    );
    assert.equal(planEpochs(plan), total);
  }
});

test('survivors are the most accurate, ties broken by loss then id; diverged trials never survive', () => {
  const results = [
    { id: 1, testAccuracy: 0.8, testLoss: 0.5 },
    { id: 2, testAccuracy: 0.9, testLoss: 0.4 },
    { id: 3, testAccuracy: 0.85, testLoss: 0.45 },
    { id: 4, testAccuracy: 0.85, testLoss: 0.42 },
    { id: 5, testAccuracy: NaN, testLoss: NaN, diverged: true },
    { id: 6, testAccuracy: 0.99, testLoss: 0.1, diverged: true },
    { id: 7, testAccuracy: 0.8, testLoss: 0.5 },
  ];
  assert.deepEqual(survivors(results, 3), [2, 4, 3]);
  assert.deepEqual(survivors(results, 5), [2, 4, 3, 1, 7]);
  assert.deepEqual(survivors(results, 10), [2, 4, 3, 1, 7]);
  assert.deepEqual(
    rankTrials(results).map((r) => r.id),
    [2, 4, 3, 1, 7, 5, 6],
  );
});

test('bad budgets are refused in one line', () => {
  const ok: SearchBudget = { trials: 8, epochs: 3, halving: true, eta: 2 };
  const cases: [Partial<SearchBudget>, RegExp][] = [
    [{ trials: 0 }, /^budget: trials must be a whole number from 1 to 256 \(got 0\)$/],
    [{ trials: 2.5 }, /trials must be a whole number/],
    [{ trials: 1000 }, /trials must be a whole number from 1 to 256 \(got 1000\)/],
    [{ epochs: 0 }, /^budget: epochs must be a whole number from 1 to 100 \(got 0\)$/],
    [{ epochs: NaN }, /epochs must be a whole number/],
    [{ eta: 1 }, /halving factor must be a whole number from 2 to 10 \(got 1\)/],
    [{ subset: 5 }, /subset must be a whole number of at least 10 images/],
    [{ subset: 70000 }, /subset \(70000 images\) is larger than the training set \(60000 images\)/],
  ];
  for (const [patch, message] of cases) {
    assert.throws(
      () => validateBudget({ ...ok, ...patch }, 60000),
      (e: Error) => e.name === 'UsageError' && !e.message.includes('\n') && message.test(e.message),
      JSON.stringify(patch),
    );
  }
  assert.equal(validateBudget(ok, 60000), ok);
});
