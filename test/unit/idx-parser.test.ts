// The IDX parser on small generated fixtures: every corruption gives one line naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classCounts,
  declaredIdxSize,
  encodeIdxImages,
  encodeIdxLabels,
  IdxFormatError,
  makeSplit,
  parseIdxImages,
  parseIdxLabels,
} from '../../src/core/dataset/idx.js';
import { matchDigests, parseChecksumLines, FULL_DIGESTS, SAMPLE_DIGESTS } from '../../src/core/dataset/files.js';
import { selectBalanced, subsetSplit } from '../../src/core/dataset/sample.js';

const pixels = (count: number) => Uint8Array.from({ length: count * 784 }, (_, i) => (i * 7) % 256);
const images3 = encodeIdxImages(pixels(3));
const labels3 = encodeIdxLabels(Uint8Array.of(0, 9, 4));

function patch(bytes: Uint8Array, offset: number, u32: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(offset, u32);
  return copy;
}

test('valid fixtures parse into views of the bytes', () => {
  const im = parseIdxImages(images3, 'img');
  assert.equal(im.count, 3);
  assert.equal(im.pixels.length, 3 * 784);
  assert.equal(im.pixels[1], 7);
  const lb = parseIdxLabels(labels3, 'lbl');
  assert.deepEqual([...lb.labels], [0, 9, 4]);
  const split = makeSplit(images3, 'img', labels3, 'lbl');
  assert.equal(split.count, 3);
  assert.equal(declaredIdxSize(images3.subarray(0, 16)), images3.length);
  assert.equal(declaredIdxSize(labels3.subarray(0, 8)), labels3.length);
  assert.equal(declaredIdxSize(new Uint8Array(4)), undefined);
  // Zero images is a valid (empty) file.
  assert.equal(parseIdxImages(encodeIdxImages(new Uint8Array(0)), 'x').count, 0);
});

const imageCases: [string, Uint8Array, RegExp][] = [
  ['empty file', new Uint8Array(0), /^f\.idx: too short for an IDX images header \(0 bytes; the file is truncated\)$/],
  ['header cut short', images3.subarray(0, 10), /too short for an IDX images header \(10 bytes/],
  [
    'labels magic in an images file',
    patch(images3, 0, 2049),
    /not an IDX images file: found a labels file \(magic 2049\), expected magic 2051/,
  ],
  ['random magic', patch(images3, 0, 0x12345678), /found magic 305419896 \(0x12345678\), expected magic 2051/],
  ['still gzipped', Uint8Array.of(0x1f, 0x8b, 8, 0, ...new Uint8Array(20)), /found gzip data/],
  ['wrong rows', patch(images3, 8, 32), /images are 32×28, expected 28×28/],
  ['wrong cols', patch(images3, 12, 14), /images are 28×14, expected 28×28/],
  [
    'payload truncated',
    images3.subarray(0, images3.length - 1),
    /truncated: the header promises 3 images \(2,368 bytes\) but the file has 2,367 bytes/,
  ],
  ['count larger than payload', patch(images3, 4, 4), /truncated: the header promises 4 images/],
  ['trailing bytes', Uint8Array.of(...images3, 1, 2), /2 unexpected bytes after the 3 images the header promises/],
];
for (const [name, bytes, message] of imageCases) {
  test(`images: ${name} → one-line error naming the file`, () => {
    assert.throws(
      () => parseIdxImages(bytes, 'f.idx'),
      (err: unknown) => {
        assert.ok(err instanceof IdxFormatError);
        assert.match(err.message, /^f\.idx: /);
        assert.match(err.message, message);
        assert.equal(err.message.includes('\n'), false);
        assert.equal(err.exitCode, 1);
        return true;
      },
    );
  });
}

const labelCases: [string, Uint8Array, RegExp][] = [
  ['empty file', new Uint8Array(0), /too short for an IDX labels header/],
  [
    'images magic in a labels file',
    patch(labels3, 0, 2051),
    /not an IDX labels file: found an images file \(magic 2051\), expected magic 2049/,
  ],
  [
    'payload truncated',
    labels3.subarray(0, labels3.length - 1),
    /truncated: the header promises 3 labels \(11 bytes\) but the file has 10 bytes/,
  ],
  ['trailing byte', Uint8Array.of(...labels3, 0), /1 unexpected byte after the 3 labels/],
  ['label out of range', encodeIdxLabels(Uint8Array.of(1, 2, 10)), /label 10 at index 2 is outside 0\.\.9/],
  ['label 255', encodeIdxLabels(Uint8Array.of(255)), /label 255 at index 0 is outside 0\.\.9/],
];
for (const [name, bytes, message] of labelCases) {
  test(`labels: ${name} → one-line error naming the file`, () => {
    assert.throws(
      () => parseIdxLabels(bytes, 'l.idx'),
      (err: unknown) => err instanceof IdxFormatError && /^l\.idx: /.test(err.message) && message.test(err.message),
    );
  });
}

test('unequal image and label counts name both files', () => {
  assert.throws(() => makeSplit(images3, 'train-images', encodeIdxLabels(Uint8Array.of(1, 2)), 'train-labels'), {
    message: /^train-images: has 3 images but train-labels has 2 labels; the two files must come from the same set$/,
  });
});

test('class counts, digest tables and checksum lines', () => {
  assert.deepEqual(classCounts(Uint8Array.of(0, 0, 9, 3)), [2, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  const full = Object.fromEntries(Object.entries(FULL_DIGESTS).map(([k, v]) => [k, v.sha256])) as Parameters<
    typeof matchDigests
  >[0];
  const sample = Object.fromEntries(Object.entries(SAMPLE_DIGESTS).map(([k, v]) => [k, v.sha256])) as Parameters<
    typeof matchDigests
  >[0];
  assert.equal(matchDigests(full), 'full');
  assert.equal(matchDigests(sample), 'sample');
  assert.equal(matchDigests({ ...full, 't10k-labels-idx1-ubyte': sample['t10k-labels-idx1-ubyte'] }), undefined);
  const parsed = parseChecksumLines(
    `# comment\n${'a'.repeat(64)}  60008  train-labels-idx1-ubyte\n${'b'.repeat(64)} *x.gz\nnot a line\n`,
  );
  assert.deepEqual(parsed.get('train-labels-idx1-ubyte'), { sha256: 'a'.repeat(64), bytes: 60008 });
  assert.deepEqual(parsed.get('x.gz'), { sha256: 'b'.repeat(64) });
  assert.equal(parsed.size, 2);
});

test('balanced selection: exact per-class counts, sorted, seeded', () => {
  const labels = Uint8Array.from({ length: 500 }, (_, i) => (i * 31) % 10);
  const a = selectBalanced(labels, 7, 1);
  assert.equal(a.length, 70);
  assert.deepEqual(classCounts(Uint8Array.from(a, (i) => labels[i])), new Array(10).fill(7));
  assert.deepEqual(
    [...a],
    [...a].sort((x, y) => x - y),
  );
  assert.deepEqual(a, selectBalanced(labels, 7, 1));
  assert.notDeepEqual(a, selectBalanced(labels, 7, 2));
  assert.throws(() => selectBalanced(labels, 51, 1), /cannot pick 51 images per class/);
  const split = subsetSplit({ images: pixels(500).subarray(0, 500 * 784), labels, count: 500 }, a.subarray(0, 2));
  assert.equal(split.count, 2);
  assert.equal(split.labels[0], labels[a[0]]);
});
