import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { CLASS_NAMES, NUM_CLASSES, PIXELS } from '../../src/core/dataset/types.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import type { NamedTensors } from '../../src/core/tensors.js';
import { argmax } from '../../src/core/verify/compare.js';
import { referenceLogits } from '../../src/core/verify/reference-forward.js';
import { loadDataset } from '../../src/io/data/load.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';
import { writeGrayPng } from '../../src/io/images.js';
import { tinyOnnx } from '../integration/verify-fixture.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FMNIST_DATA_DIR: embeddedDataDir() },
  });

/**
 * A model fitted in closed form: a single Linear layer that is the nearest-class-mean classifier
 * (weight = class mean, bias = −|mean|²/2), built from the embedded training sample. It is right
 * on most test images, so "predict gets a test image right" means something without training.
 */
async function centroidModel(): Promise<{ spec: ModelSpec; parameters: NamedTensors }> {
  const { train } = await loadDataset({ dataDir: embeddedDataDir() });
  const sums = new Float64Array(NUM_CLASSES * PIXELS);
  const counts = new Float64Array(NUM_CLASSES);
  for (let n = 0; n < train.count; n++) {
    const c = train.labels[n];
    counts[c]++;
    for (let i = 0; i < PIXELS; i++) sums[c * PIXELS + i] += train.images[n * PIXELS + i] / 255;
  }
  const weight = new Float32Array(NUM_CLASSES * PIXELS);
  const bias = new Float32Array(NUM_CLASSES);
  for (let c = 0; c < NUM_CLASSES; c++) {
    let sq = 0;
    for (let i = 0; i < PIXELS; i++) {
      const m = sums[c * PIXELS + i] / counts[c];
      weight[c * PIXELS + i] = m;
      sq += m * m;
    }
    bias[c] = -sq / 2;
  }
  const spec: ModelSpec = { hidden: [], finalActivation: 'none', logSoftmax: false };
  return {
    spec,
    parameters: new Map([
      ['linear_relu_stack.0.weight', { shape: [10, 784], data: weight }],
      ['linear_relu_stack.0.bias', { shape: [10], data: bias }],
    ]),
  };
}

test('predict classifies a PNG made from a test image correctly, as text and as JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-predict-'));
  const { spec, parameters } = await centroidModel();
  const onnxPath = join(dir, 'model.onnx');
  writeFileSync(onnxPath, tinyOnnx(spec, parameters, { class_names: JSON.stringify(CLASS_NAMES) }));
  const { test: split } = await loadDataset({ dataDir: embeddedDataDir() });
  const logits = referenceLogits(spec, parameters, split.images, 200);
  // Two test images the model gets right, of different classes; PNGs as an outside user would have.
  const picks: number[] = [];
  for (let i = 0; i < 200 && picks.length < 2; i++)
    if (argmax(logits, i * 10) === split.labels[i] && !picks.some((p) => split.labels[p] === split.labels[i]))
      picks.push(i);
  assert.equal(picks.length, 2);
  const pngs = [];
  for (const i of picks) {
    const p = join(dir, `test-${i}.png`);
    await writeGrayPng(p, split.images.subarray(i * PIXELS, (i + 1) * PIXELS));
    pngs.push(p);
  }
  // The second at 10× size in RGB with alpha: the resize path must still get it right.
  const big = join(dir, 'big.webp');
  await sharp(Buffer.from(split.images.subarray(picks[1] * PIXELS, (picks[1] + 1) * PIXELS)), {
    raw: { width: 28, height: 28, channels: 1 },
  })
    .resize(280, 280, { kernel: 'cubic' })
    .toColourspace('srgb')
    .ensureAlpha()
    .webp({ lossless: true })
    .toFile(big);

  const r = cli('predict', onnxPath, ...pngs, big);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 3);
  for (const [k, i] of [...picks, picks[1]].entries()) {
    const label = CLASS_NAMES[split.labels[i]];
    assert.ok(lines[k].includes(`  ${label} `), `line ${k} should start with ${label}: ${lines[k]}`);
    assert.equal(lines[k].match(/\d+\.\d%/g)?.length, 3, 'top-3 with probabilities');
  }
  const j = cli('predict', onnxPath, pngs[0], '--json', '--top', '5');
  assert.equal(j.status, 0, j.stderr);
  const out = JSON.parse(j.stdout);
  assert.equal(out.predictions[0].top.length, 5);
  assert.equal(out.predictions[0].top[0].label, split.labels[picks[0]]);
  assert.ok(
    Math.abs(out.predictions[0].top.reduce((s: number, t: { probability: number }) => s + t.probability, 0) - 1) < 0.05,
  );
});

test('predict --sheet writes a contact sheet PNG and --show draws the input', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-predict-'));
  const { spec, parameters } = await centroidModel();
  const onnxPath = join(dir, 'model.onnx');
  writeFileSync(onnxPath, tinyOnnx(spec, parameters));
  const sheet = join(dir, 'sheet.png');
  const r = cli('predict', onnxPath, '--sheet', sheet, '--count', '12');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Wrote .*sheet\.png: 12 test images, \d+ classified right/);
  const meta = await sharp(sheet).metadata();
  assert.equal(meta.format, 'png');
  const again = cli('predict', onnxPath, '--sheet', sheet);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /sheet\.png already exists \(use --force to replace it\)/);
  assert.equal(cli('predict', onnxPath, '--sheet', sheet, '--force', '--count', '4').status, 0);
  assert.deepEqual(readdirSync(dir).sort(), ['model.onnx', 'sheet.png']);

  const png = join(dir, 'x.png');
  await writeGrayPng(png, new Uint8Array(784).fill(200));
  const show = cli('predict', onnxPath, png, '--show');
  assert.equal(show.status, 0, show.stderr);
  assert.ok(show.stdout.split('\n').length > 14, 'a 28×14 preview follows the prediction');
});

test('predict refuses bad input in one line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-predict-'));
  const { spec, parameters } = await centroidModel();
  const onnxPath = join(dir, 'model.onnx');
  writeFileSync(onnxPath, tinyOnnx(spec, parameters));
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'not an image');
  const png = join(dir, 'ok.png');
  await writeGrayPng(png, new Uint8Array(784));
  const cases: [string, string[], number, RegExp][] = [
    ['no arguments', [], 2, /predict needs an ONNX model and at least one image/],
    ['no images', [onnxPath], 2, /predict needs at least one image after .*model\.onnx, or --sheet FILE/],
    ['model missing', [join(dir, 'nope.onnx'), png], 1, /cannot read .*nope\.onnx: no such file or directory/],
    ['model is an image', [png, png], 1, /ok\.png is not an ONNX model/],
    ['image is text', [onnxPath, text], 1, /notes\.txt is not an image sharp can read \(use PNG, JPEG or WebP\)/],
    ['bad --top', [onnxPath, png, '--top', '11'], 2, /--top must be from 1 to 10 \(got 11\)/],
    ['unknown flag', [onnxPath, png, '--colour'], 2, /Unknown option '--colour' \(see 'fmnist-tui predict --help'\)/],
  ];
  for (const [name, args, code, pattern] of cases)
    await t.test(name, () => {
      const r = cli('predict', ...args);
      assert.equal(r.status, code, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, pattern);
      assert.equal(r.stdout, '');
    });
  assert.ok(!existsSync(join(dir, 'sheet.png')));
});

test('predict --help teaches', () => {
  const r = cli('predict', '--help');
  assert.equal(r.status, 0);
  for (const flag of ['--invert', '--top', '--sheet', '--json', '--force', 'PNG, JPEG or WebP'])
    assert.ok(r.stdout.includes(flag), flag);
});
