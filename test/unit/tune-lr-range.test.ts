import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LossSmoother,
  hasDiverged,
  rangeTestLearningRate,
  rangeTestSchedule,
  smoothLosses,
  suggestLearningRate,
} from '../../src/core/tune/lr-range.js';

test('the ramp grows exponentially from start to end', () => {
  const lrs = rangeTestSchedule(1e-7, 10, 81);
  assert.equal(lrs[0], 1e-7);
  assert.ok(Math.abs(lrs[80] - 10) < 1e-12);
  assert.ok(Math.abs(lrs[10] / lrs[0] - 10) < 1e-9, 'ten steps per decade');
  for (let i = 1; i < lrs.length; i++) assert.ok(lrs[i] > lrs[i - 1]);
  assert.equal(rangeTestLearningRate(1e-3, 1, 1, 0), 1e-3);
});

test('bias-corrected smoothing: a constant stays constant, a step is followed with lag', () => {
  assert.deepEqual(
    [...smoothLosses([2, 2, 2, 2])].map((x) => Number(x.toFixed(12))),
    [2, 2, 2, 2],
  );
  const s = new LossSmoother(0.98);
  assert.equal(s.push(5), 5); // first value: no bias towards 0
  const after = s.push(1);
  assert.ok(after > 1 && after < 5);
  // (0.98·0.02·5 + 0.02·1) / (1 − 0.98²)
  assert.ok(Math.abs(after - (0.98 * 0.02 * 5 + 0.02) / (1 - 0.98 ** 2)) < 1e-12);
});

test('divergence: NaN, infinity, or above 4× the minimum', () => {
  const cases: [number, number, number, boolean][] = [
    [1, 1, 1, false],
    [1, 3.9, 1, false],
    [1, 4.1, 1, true],
    [NaN, 1, 1, true],
    [Infinity, 1, 1, true],
    [1, 2, Infinity, false], // no minimum yet
  ];
  for (const [raw, smoothed, best, want] of cases)
    assert.equal(hasDiverged(raw, smoothed, best), want, `${raw} ${smoothed} ${best}`);
});

test('suggestions on a curve with a known shape: falls fastest at 1e-3, lowest at 1e-1', () => {
  const lrs = rangeTestSchedule(1e-6, 10, 141);
  // Smooth descent centred at 1e-3 (in log10), then a rise after 1e-1.
  const loss = [...lrs].map((lr) => {
    const l = Math.log10(lr);
    return 2.3 - 2 / (1 + Math.exp(-3 * (l + 3))) + (l > -1 ? 3 * (l + 1) ** 2 : 0);
  });
  const s = suggestLearningRate(lrs, loss)!;
  assert.ok(Math.abs(Math.log10(s.steepest) + 3) < 0.1, `steepest ${s.steepest}`);
  assert.ok(Math.abs(Math.log10(s.minimum.learningRate) + 1) < 0.2, `minimum ${s.minimum.learningRate}`);
  assert.ok(Math.abs(s.minimumOver10 - s.minimum.learningRate / 10) < 1e-15);
  assert.equal(s.method, 'minimum/10');
  assert.equal(s.learningRate, s.minimumOver10);
});

test('a curve that never turns up suggests its steepest point, not the end of the range / 10', () => {
  const lrs = rangeTestSchedule(1e-6, 1, 61);
  const loss = [...lrs].map((lr) => 2.3 - 2 / (1 + Math.exp(-3 * (Math.log10(lr) + 3))));
  const s = suggestLearningRate(lrs, loss)!;
  assert.equal(s.method, 'steepest');
  assert.ok(Math.abs(Math.log10(s.learningRate) + 3) < 0.1, `${s.learningRate}`);
});

test('too short a curve gives no suggestion', () => {
  assert.equal(suggestLearningRate([1e-3, 1e-2, 1e-1], [2, 1, 3]), undefined);
});
