// Issue 11 item 6: the NaN advice named the usual range, then suggested a value far outside it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OPTIMIZER_DEFAULTS, SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';
import { divergenceMessage } from '../../src/core/train/divergence.js';

const at = { epoch: 1, batch: 3 };
const cases: [string, number, 'sgd' | 'adam', RegExp][] = [
  [
    'lr 1e8 (SGD): a value in the usual range',
    1e8,
    'sgd',
    /the learning rate 1e8 is .*1e-3 to 0\.1\); try 0\.1 or lower$/,
  ],
  ['lr 0.5 (SGD): a tenth of it', 0.5, 'sgd', /try 0\.05 or lower$/],
  ['lr 1 (Adam): the top of Adam’s range', 1, 'adam', /1e-4 to 0\.01\); try 0\.01 or lower$/],
];
for (const [name, lr, kind, want] of cases)
  test(name, () => {
    const hp = { ...SEED_HYPERPARAMETERS, learningRate: lr, optimizer: OPTIMIZER_DEFAULTS[kind] };
    assert.match(divergenceMessage(Number.NaN, at, lr, hp), want);
  });
