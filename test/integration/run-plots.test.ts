// curves.png and confusion.png: SVG rendered by sharp, decoded back with the expected size, and
// their text drawn as glyph outlines — present even where fontconfig finds no font at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { NUM_CLASSES, PIXELS } from '../../src/core/dataset/types.js';
import { CONFUSION_SIZE } from '../../src/core/plots/confusion-svg.js';
import { CURVES_SIZE } from '../../src/core/plots/curves-svg.js';
import { PRESETS } from '../../src/core/model/spec.js';
import { SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';
import { writeRunPlots } from '../../src/io/run-plots.js';

const root = new URL('../../', import.meta.url).pathname;
const history = [1, 2, 3].map((epoch) => ({
  epoch,
  trainLoss: 1 / epoch,
  testLoss: 1.2 / epoch,
  testAccuracy: 0.6 + 0.05 * epoch,
  valAccuracy: 0.58 + 0.05 * epoch,
  seconds: 1,
  samplesPerSecond: 1000,
  learningRate: 0.001,
  batchLoss: [2 / epoch, 1.5 / epoch, 1 / epoch],
}));
// 30 test images, 3 per class; the fake model predicts the class of the first pixel.
const count = 30;
const test_ = {
  count,
  labels: Uint8Array.from({ length: count }, (_, i) => i % NUM_CLASSES),
  images: new Uint8Array(count * PIXELS).map((_, k) => (k % PIXELS === 0 ? (Math.floor(k / PIXELS) * 7) % 10 : 0)),
};
const predict = async (images: Uint8Array, n: number) => {
  const out = new Float32Array(n * NUM_CLASSES);
  for (let i = 0; i < n; i++) out[i * NUM_CLASSES + images[i * PIXELS]] = 5;
  return out;
};

/** Dark pixels (text, lines) in a region of a PNG. */
async function inkIn(path: string, region: { left: number; top: number; width: number; height: number }) {
  const { data } = await sharp(path).extract(region).greyscale().raw().toBuffer({ resolveWithObject: true });
  return data.reduce((s, v) => s + (v < 128 ? 1 : 0), 0);
}

test('writeRunPlots writes curves.png and confusion.png that decode with the expected sizes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-plots-'));
  const stages: string[] = [];
  await writeRunPlots(
    dir,
    { spec: PRESETS.seed, hyperparameters: SEED_HYPERPARAMETERS, history, test: test_, predict },
    (s) => stages.push(s),
  );
  assert.deepEqual(stages, ['curves', 'confusion']);
  for (const [file, size] of [
    ['curves.png', CURVES_SIZE],
    ['confusion.png', CONFUSION_SIZE],
  ] as const) {
    const meta = await sharp(join(dir, file)).metadata();
    assert.equal(meta.format, 'png', file);
    assert.equal(meta.width, size.width, file);
    assert.equal(meta.height, size.height, file);
    // The title (top left) has text in it.
    assert.ok((await inkIn(join(dir, file), { left: 20, top: 10, width: 400, height: 30 })) > 200, `${file} title`);
  }
});

test('the text is drawn without any font: the same pixels under a fontconfig that finds none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-plots-nofont-'));
  // A fontconfig with no font folder: svg <text> then renders as "missing glyph" boxes.
  const conf = join(dir, 'fonts.conf');
  writeFileSync(
    conf,
    `<?xml version="1.0"?><fontconfig><dir>${join(dir, 'none')}</dir><cachedir>${join(dir, 'cache')}</cachedir></fontconfig>`,
  );
  const render = (tag: string, env: NodeJS.ProcessEnv) => {
    const script = `
      import sharp from 'sharp';
      import { curvesSvg } from './src/core/plots/curves-svg.ts';
      import { plotFont, writeSvgAsPng } from './src/io/plots.ts';
      await writeSvgAsPng(${JSON.stringify(join(dir, `paths-${tag}.png`))}, curvesSvg(${JSON.stringify(history)}, plotFont(), 'Title text here'));
      const text =
  '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/>' +
  '<text x="5" y="30" font-size="24">Hello text</text></svg>';
      await sharp(Buffer.from(text)).png().toFile(${JSON.stringify(join(dir, `text-${tag}.png`))});
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    assert.equal(r.status, 0, r.stderr);
  };
  render('fonts', {});
  render('none', { FONTCONFIG_FILE: conf });
  const raw = async (name: string) => (await sharp(join(dir, name)).raw().toBuffer()).toString('base64');
  // The control: plain svg text does change when the fonts go away…
  assert.notEqual(await raw('text-fonts.png'), await raw('text-none.png'));
  // …the plot's outlines do not, and its title has ink.
  assert.equal(await raw('paths-none.png'), await raw('paths-fonts.png'));
  assert.ok((await inkIn(join(dir, 'paths-none.png'), { left: 20, top: 10, width: 200, height: 30 })) > 150);
});
