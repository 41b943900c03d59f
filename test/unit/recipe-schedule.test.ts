// One-cycle and warm-up against PyTorch's schedulers (test/fixtures/torch-recipe-steps.json: the
// learning rate, and one-cycle's momentum / beta1, of every step).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Schedule } from '../../src/core/train/hyperparameters.js';
import { learningRateAt, momentumAt, oneCycleAt } from '../../src/core/train/schedule.js';
import { recipe, recipeName, type RecipeCase } from '../integration/recipe-fixtures.js';

function scheduleOf(c: RecipeCase): Schedule {
  const s = c.schedule!;
  const warmupSteps = s.warmup;
  switch (s.kind) {
    case 'onecycle':
      return { kind: 'onecycle' };
    case 'constant':
      return { kind: 'constant', warmupSteps };
    case 'cosine':
      return { kind: 'cosine', tMax: 0, etaMin: 0, warmupSteps };
    case 'step':
      return { kind: 'step', stepSize: s.step_size!, gamma: s.gamma!, warmupSteps };
  }
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const scheduled = recipe.cases.filter((c) => c.schedule);

test('the fixture has one-cycle cases for SGD, nesterov, Adam and AdamW, and warm-up before three schedules', () => {
  assert.deepEqual(
    scheduled.map(
      (c) => `${c.optimizer} ${c.schedule!.kind}${c.schedule!.warmup ? ` warmup ${c.schedule!.warmup}` : ''}`,
    ),
    [
      'sgd onecycle',
      'sgd onecycle',
      'adam onecycle',
      'adamw onecycle',
      'sgd constant warmup 2',
      'sgd cosine warmup 2',
      'adam step warmup 3',
    ],
  );
});

for (const c of scheduled)
  test(`learning rate (and momentum) of every step equal torch's: ${recipeName(c)}`, () => {
    const schedule = scheduleOf(c);
    const total = c.lrs.length;
    c.lrs.forEach((want, step) => {
      const got = learningRateAt(schedule, c.options.lr as number, step, total);
      assert.ok(relative(got, want) <= 1e-9, `step ${step}: lr ${got} vs torch ${want}`);
    });
    if (c.momenta)
      c.momenta.forEach((want, step) => {
        const got = momentumAt(schedule, step, total)!;
        assert.ok(relative(got, want) <= 1e-12, `step ${step}: momentum ${got} vs torch ${want}`);
      });
    else assert.equal(momentumAt(schedule, 0, total), undefined);
  });

test('one-cycle over a real run: lr/25 at the start, the peak at 30%, lr/25e4 at the last step', () => {
  const total = 938 * 10;
  assert.ok(relative(oneCycleAt(1e-2, 0, total).lr, 1e-2 / 25) < 1e-12);
  const peak = Math.round(0.3 * total) - 1;
  assert.ok(relative(oneCycleAt(1e-2, peak, total).lr, 1e-2) < 1e-6);
  assert.ok(relative(oneCycleAt(1e-2, peak, total).momentum, 0.85) < 1e-6);
  assert.ok(relative(oneCycleAt(1e-2, total - 1, total).lr, 1e-2 / 25 / 1e4) < 1e-9);
  // Epochs added during the run: it stays at the end instead of throwing as torch does.
  assert.equal(oneCycleAt(1e-2, total + 5, total).lr, oneCycleAt(1e-2, total - 1, total).lr);
});
