// Training-time augmentation: each transform does what torchvision's does (checked image by image
// on what it produced), the stream is seeded, and the data set itself is never changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMAGE_SIZE, PIXELS } from '../../src/core/dataset/types.js';
import { UsageError } from '../../src/core/errors.js';
import { mulberry32 } from '../../src/core/random.js';
import { augmentBatch, augmentSeed, formatAugment, parseAugment } from '../../src/core/train/augment.js';

const S = IMAGE_SIZE;
/** `count` random images with no zero pixels (so padding and erasing are visible as zeros). */
function batch(count: number, seed = 1) {
  const r = mulberry32(seed);
  const images = Uint8Array.from({ length: count * PIXELS }, () => 1 + Math.floor(r() * 255));
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}
const image = (data: Uint8Array, n: number) => data.subarray(n * PIXELS, (n + 1) * PIXELS);

/** in shifted by (dy, dx), optionally mirrored afterwards, zero outside: RandomCrop then RandomHorizontalFlip. */
function shifted(src: Uint8Array, dy: number, dx: number, flip: boolean): Uint8Array {
  const out = new Uint8Array(PIXELS);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const sy = y + dy;
      const sx = (flip ? S - 1 - x : x) + dx;
      if (sy >= 0 && sy < S && sx >= 0 && sx < S) out[y * S + x] = src[sy * S + sx];
    }
  return out;
}
const same = (a: Uint8Array, b: Uint8Array) => a.every((v, i) => v === b[i]);

test('--augment parses flip, crop[:K] and erase, and refuses anything else in one line', () => {
  assert.deepEqual(parseAugment('flip,crop:2,erase'), { flip: true, crop: 2, erase: true });
  assert.deepEqual(parseAugment('crop'), { flip: false, crop: 2, erase: false });
  assert.deepEqual(parseAugment('none'), { flip: false, crop: 0, erase: false });
  assert.equal(formatAugment(parseAugment('erase, flip,crop:4')), 'crop:4,flip,erase');
  const bad: [string, string][] = [
    ['flop', "--augment: unknown item 'flop' (choose from flip, crop:PADDING, erase, e.g. flip,crop:2,erase; or none)"],
    ['crop:0', '--augment crop:0: the padding must be a whole number from 1 to 8 pixels, e.g. crop:2'],
    ['crop:1.5', '--augment crop:1.5: the padding must be a whole number from 1 to 8 pixels, e.g. crop:2'],
    [
      'flip:1',
      "--augment: unknown item 'flip:1' (choose from flip, crop:PADDING, erase, e.g. flip,crop:2,erase; or none)",
    ],
  ];
  for (const [text, message] of bad)
    assert.throws(
      () => parseAugment(text),
      (e: Error) => e instanceof UsageError && e.message === message,
    );
});

test('crop:K is a shift of up to K pixels each way with zero fill (RandomCrop(28, padding=K)), all shifts drawn', () => {
  const b = batch(400);
  const out = augmentBatch(b, { flip: false, crop: 2, erase: false }, 7);
  const seen = new Set<string>();
  for (let n = 0; n < b.count; n++) {
    let match: string | undefined;
    for (let dy = -2; dy <= 2 && !match; dy++)
      for (let dx = -2; dx <= 2 && !match; dx++)
        if (same(image(out.images, n), shifted(image(b.images, n), dy, dx, false))) match = `${dy},${dx}`;
    assert.ok(match, `image ${n} is not a shift of its input by at most 2 pixels`);
    seen.add(match);
  }
  assert.equal(seen.size, 25, 'every one of the 5×5 windows is drawn');
});

test('flip mirrors about half the images (RandomHorizontalFlip(p=0.5)) and leaves the rest as they are', () => {
  const b = batch(1000);
  const out = augmentBatch(b, { flip: true, crop: 0, erase: false }, 3);
  let flipped = 0;
  for (let n = 0; n < b.count; n++) {
    const o = image(out.images, n);
    if (same(o, shifted(image(b.images, n), 0, 0, true))) flipped++;
    else assert.ok(same(o, image(b.images, n)), `image ${n} is neither itself nor its mirror`);
  }
  assert.ok(flipped > 440 && flipped < 560, `${flipped} of 1000 flipped`);
});

test('erase zeroes one box in about half the images, of 2–33% of the area and aspect 0.3–3.3 (RandomErasing())', () => {
  const b = batch(1000);
  const out = augmentBatch(b, { flip: false, crop: 0, erase: true }, 11);
  let erased = 0;
  for (let n = 0; n < b.count; n++) {
    const o = image(out.images, n);
    const zeros: number[] = [];
    o.forEach((v, i) => {
      if (v !== image(b.images, n)[i]) {
        assert.equal(v, 0, `image ${n}: a changed pixel is not erased`);
        zeros.push(i);
      }
    });
    if (zeros.length === 0) continue;
    erased++;
    const ys = zeros.map((i) => Math.floor(i / S));
    const xs = zeros.map((i) => i % S);
    const h = Math.max(...ys) - Math.min(...ys) + 1;
    const w = Math.max(...xs) - Math.min(...xs) + 1;
    assert.equal(zeros.length, h * w, `image ${n}: the erased pixels are a box`);
    // h and w are rounded from the drawn area and ratio: allow that rounding.
    assert.ok(h * w >= 0.02 * PIXELS * 0.7 && h * w <= 0.33 * PIXELS * 1.2, `image ${n}: area ${h * w}`);
    assert.ok(h / w >= 0.3 / 1.6 && h / w <= 3.3 * 1.6, `image ${n}: aspect ${h}/${w}`);
  }
  assert.ok(erased > 440 && erased < 560, `${erased} of 1000 erased`);
});

test('seeded: the same step draws the same augmentations; the input batch is never changed', () => {
  const b = batch(64);
  const copy = b.images.slice();
  const all = { flip: true, crop: 2, erase: true };
  const first = augmentBatch(b, all, augmentSeed(0, 5));
  assert.deepEqual(augmentBatch(b, all, augmentSeed(0, 5)).images, first.images);
  assert.notDeepEqual(augmentBatch(b, all, augmentSeed(0, 6)).images, first.images);
  assert.notDeepEqual(augmentBatch(b, all, augmentSeed(1, 5)).images, first.images);
  assert.deepEqual(b.images, copy);
  assert.equal(first.labels, b.labels);
});
