import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argmax, compareLogits, softmaxRow, topK } from '../../src/core/verify/compare.js';

const rows = (...r: number[][]) => new Float32Array(r.flat());
const ten = (hot: number, v = 5) => Array.from({ length: 10 }, (_, j) => (j === hot ? v : j * 0.1));

test('identical logits pass with zero difference and report both accuracies', () => {
  const ref = rows(ten(3), ten(7), ten(1));
  const c = compareLogits(ref, new Float32Array(ref), new Uint8Array([3, 7, 2]), 3);
  assert.equal(c.maxAbsDiff, 0);
  assert.equal(c.argmaxAgreements, 3);
  assert.equal(c.pass, true);
  assert.equal(c.referenceAccuracy, 2 / 3);
  assert.equal(c.exportAccuracy, 2 / 3);
});

test('the tolerance is atol + rtol·|reference| per logit (table)', () => {
  const cases: [string, number, number, boolean][] = [
    // reference, candidate, within?
    ['exact', 1, 1, true],
    ['at the edge of rtol', 100, 100 + 0.1 + 0.99e-5, true],
    ['past rtol', 100, 100.2, false],
    ['atol near zero', 0, 0.9e-5, true],
    ['past atol near zero', 0, 2e-5, false],
    ['NaN', 1, Number.NaN, false],
  ];
  for (const [name, r, cand, within] of cases) {
    const ref = rows([r, -50, -50, -50, -50, -50, -50, -50, -50, -50]);
    const got = rows([cand, -50, -50, -50, -50, -50, -50, -50, -50, -50]);
    const c = compareLogits(ref, got, new Uint8Array([0]), 1);
    assert.equal(c.outsideTolerance === 0, within, name);
    assert.equal(c.pass, within, name);
  }
});

test('a flipped argmax fails even within tolerance, and names the image', () => {
  const ref = rows(ten(0), [1, 1.000001, 0, 0, 0, 0, 0, 0, 0, 0]);
  const got = rows(ten(0), [1.000001, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const c = compareLogits(ref, got, new Uint8Array([0, 1]), 2);
  assert.equal(c.outsideTolerance, 0);
  assert.equal(c.argmaxAgreements, 1);
  assert.deepEqual(c.disagreeingImages, [1]);
  assert.equal(c.pass, false);
});

test('indices map a sample back to reference rows', () => {
  const ref = rows(ten(0), ten(1), ten(2));
  const c = compareLogits(ref, rows(ten(2), ten(0)), new Uint8Array([0, 1, 2]), 2, { indices: [2, 0] });
  assert.equal(c.pass, true);
  assert.equal(c.exportAccuracy, 1);
});

test('argmax, softmax and top-k agree with torch on a row', () => {
  const l = rows([1, 3, 2, 0, 0, 0, 0, 0, 0, 3]);
  assert.equal(argmax(l, 0), 1, 'first on ties, like torch.argmax');
  const p = softmaxRow(l, 0);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  // torch.softmax(torch.tensor([1,3,2,0,0,0,0,0,0,3.]), 0)[1] = 0.3568959444685471 (float64)
  assert.ok(Math.abs(p[1] - 0.3568959444685471) < 1e-12, String(p[1]));
  assert.deepEqual(
    topK(l, 0, 3).map((t) => t.label),
    [1, 9, 2],
  );
});
