import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { UserError } from '../../src/core/errors.js';
import { encodeContactSheet, loadImageForModel, writeContactSheet, writeGrayPng } from '../../src/io/images.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'fmnist-img-'));
// A "garment": a bright rectangle with a gradient, on black, like Fashion-MNIST.
const garment = () => {
  const p = new Uint8Array(784);
  for (let y = 4; y < 24; y++) for (let x = 8; x < 20; x++) p[y * 28 + x] = 100 + y * 6;
  return p;
};

async function rejectsWithLine(p: Promise<unknown>, pattern: RegExp) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof UserError, String(err));
    assert.equal(err.message.split('\n').length, 1);
    assert.match(err.message, pattern);
    return true;
  });
}

test('a 28×28 grayscale PNG of a test image reads back pixel for pixel', async () => {
  const dir = tmp();
  const path = join(dir, 'item.png');
  const pixels = garment();
  await writeGrayPng(path, pixels);
  const meta = await sharp(path).metadata();
  assert.equal(meta.channels, 1);
  const img = await loadImageForModel(path);
  assert.deepEqual([...img.pixels], [...pixels]);
  assert.equal(img.format, 'png');
});

test('any size and colour: RGBA, JPEG, WebP are flattened, grayscaled and fitted into 28×28', async () => {
  const dir = tmp();
  // 280×140 red rectangle with a transparent surround: transparency becomes black.
  const rgba = Buffer.alloc(280 * 140 * 4);
  for (let y = 20; y < 120; y++) for (let x = 100; x < 180; x++) rgba.set([255, 0, 0, 255], (y * 280 + x) * 4);
  const png = join(dir, 'wide.png');
  await sharp(rgba, { raw: { width: 280, height: 140, channels: 4 } })
    .png()
    .toFile(png);
  const a = await loadImageForModel(png);
  assert.equal(a.pixels.length, 784);
  assert.equal(a.pixels[0], 0, 'transparent corner is black');
  assert.ok(a.pixels[14 * 28 + 14] > 40, 'the red item is light');
  for (const format of ['jpeg', 'webp'] as const) {
    const p = join(dir, `x.${format}`);
    await sharp(rgba, { raw: { width: 280, height: 140, channels: 4 } })
      .flatten({ background: '#000' })
      [format]()
      .toFile(p);
    const b = await loadImageForModel(p);
    assert.equal(b.format, format);
    assert.ok(b.pixels[14 * 28 + 14] > 40 && b.pixels[0] < 10, format);
  }
});

test('--invert turns a dark item on a light background into a light item on black', async () => {
  const dir = tmp();
  const rgb = Buffer.alloc(56 * 56 * 3, 255);
  for (let y = 10; y < 46; y++) for (let x = 20; x < 36; x++) rgb.set([20, 20, 20], (y * 56 + x) * 3);
  const p = join(dir, 'photo.jpg');
  await sharp(rgb, { raw: { width: 56, height: 56, channels: 3 } })
    .jpeg()
    .toFile(p);
  const img = await loadImageForModel(p, { invert: true });
  assert.ok(img.pixels[0] < 15, `background ${img.pixels[0]}`);
  assert.ok(img.pixels[14 * 28 + 14] > 200, `item ${img.pixels[14 * 28 + 14]}`);
});

test('bad images each give one clear line', async (t) => {
  const dir = tmp();
  const text = join(dir, 'notes.png');
  writeFileSync(text, 'this is not an image');
  const gif = join(dir, 'a.gif');
  await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
    .gif()
    .toFile(gif);
  const truncated = join(dir, 'cut.png');
  writeFileSync(
    truncated,
    (
      await sharp({ create: { width: 64, height: 64, channels: 3, background: '#f0f' } })
        .png()
        .toBuffer()
    ).subarray(0, 60),
  );
  const cases: [string, string, RegExp][] = [
    ['missing', join(dir, 'nope.png'), /cannot read .*nope\.png: no such file or directory/],
    ['not an image', text, /notes\.png is not an image sharp can read \(use PNG, JPEG or WebP\)/],
    ['a GIF', gif, /a\.gif is a gif image; predict reads PNG, JPEG or WebP/],
    ['truncated PNG', truncated, /cut\.png (could not be decoded|is not an image sharp can read)/],
  ];
  for (const [name, path, pattern] of cases)
    await t.test(name, () => rejectsWithLine(loadImageForModel(path), pattern));
});

test('the contact sheet is a PNG sized to its grid; an existing file needs force', async () => {
  const items = Array.from({ length: 10 }, (_, i) => ({
    pixels: garment(),
    label: i,
    predicted: i % 3 === 0 ? (i + 1) % 10 : i,
    probability: 0.5 + i / 20,
  }));
  const png = await encodeContactSheet(items, { columns: 5, title: 'test' });
  const meta = await sharp(png).metadata();
  assert.equal(meta.format, 'png');
  assert.equal(meta.width, 5 * 152 + 10);
  assert.equal(meta.height, 2 * 156 + 30 + 10);
  const dir = tmp();
  const path = join(dir, 'sheet.png');
  await writeContactSheet(path, items);
  await rejectsWithLine(writeContactSheet(path, items), /already exists \(use --force to replace it\)/);
  await writeContactSheet(path, items, { force: true });
  assert.deepEqual(readdirSync(dir), ['sheet.png']);
});
