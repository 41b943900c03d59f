import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balancedSubsetIndices, complementIndices } from '../../src/core/tune/subset.js';

const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 10);

test('a balanced subset has size/10 per class, is seeded, sorted and without repeats', () => {
  const a = balancedSubsetIndices(labels, 203, 1);
  assert.equal(a.length, 203);
  const counts = new Array(10).fill(0);
  for (const i of a) counts[labels[i]]++;
  assert.deepEqual(counts, [21, 21, 21, 20, 20, 20, 20, 20, 20, 20]);
  assert.equal(new Set(a).size, a.length);
  for (let k = 1; k < a.length; k++) assert.ok(a[k] > a[k - 1]);
  assert.deepEqual(balancedSubsetIndices(labels, 203, 1), a);
  assert.notDeepEqual(balancedSubsetIndices(labels, 203, 2), a);
});

test('a subset larger than a class allows is refused in one line', () => {
  assert.throws(
    () => balancedSubsetIndices(labels, 1010, 0),
    (e: Error) =>
      /^a balanced subset of 1010 images needs 101 of class 0, but the training set has 100; ask for fewer images$/.test(
        e.message,
      ),
  );
});

test('the complement of a subset is every other index, ascending', () => {
  assert.deepEqual([...complementIndices(6, Uint32Array.from([0, 2, 5]))], [1, 3, 4]);
  assert.deepEqual([...complementIndices(3, new Uint32Array(0))], [0, 1, 2]);
  const held = balancedSubsetIndices(labels, 100, 4);
  const rest = complementIndices(labels.length, held);
  assert.equal(rest.length, 900);
  assert.equal(new Set([...held, ...rest]).size, 1000);
});
