// dropoutNoise writes mulberry32 out in its loop for speed: it must still draw exactly the masks
// of the stream it documents (keep when rand() ≥ p, scaled by 1/(1 − p)), into a given buffer too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropoutNoise } from '../../src/core/train/dropout.js';
import { deriveSeed, mulberry32 } from '../../src/core/random.js';

function reference(seed: number, index: number, n: number, p: number): Float32Array {
  const rand = mulberry32(deriveSeed(seed, index));
  return Float32Array.from({ length: n }, () => (rand() < p ? 0 : 1 / (1 - p)));
}

test('dropoutNoise equals the mulberry32 stream it is seeded from, for any p', () => {
  for (const p of [0, 0.1, 0.25, 1 / 3, 0.5, 0.9])
    for (const seed of [0, 1, 7, 123456789, 0xffffffff]) {
      const got = dropoutNoise(seed, 9, 8, 100, p);
      assert.deepEqual(got, reference(seed, 9, 800, p), `p=${p} seed=${seed}`);
      const kept = got.filter((v) => v !== 0).length / got.length;
      assert.ok(Math.abs(kept - (1 - p)) < 0.08, `p=${p}: kept ${kept}`);
    }
});

test('dropoutNoise fills the buffer it is given and leaves the rest alone', () => {
  const buffer = new Float32Array(30).fill(-1);
  const view = buffer.subarray(10, 20);
  assert.equal(dropoutNoise(5, 2, 2, 5, 0.5, view), view);
  assert.deepEqual(buffer.subarray(10, 20), reference(5, 2, 10, 0.5));
  assert.ok([...buffer.subarray(0, 10), ...buffer.subarray(20)].every((v) => v === -1));
});
