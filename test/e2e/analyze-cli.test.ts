// `fmnist-tui analyze` end to end on the full test split: the matrix counts all 10,000 images,
// its diagonal is verify's accuracy, and it equals an independent count (numpy over the
// exported model.onnx: scripts/confusion-from-onnx.py). Plus its one-line refusals.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { CONFUSION_SIZE } from '../../src/core/plots/confusion-svg.js';

const root = new URL('../../', import.meta.url).pathname;
const FULL = '/usr/share/datasets/fashion-mnist';
const env = { ...process.env, NO_COLOR: '1', FMNIST_OFFLINE: '1', FMNIST_DATA_DIR: FULL };
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], {
    cwd: root,
    encoding: 'utf8',
    env,
    timeout: 300_000,
  });
const dir = mkdtempSync(join(tmpdir(), 'fmnist-analyze-'));
const run = join(dir, 'run');
let unavailable: string | undefined;

before(() => {
  if (!existsSync(join(FULL, 't10k-labels-idx1-ubyte.gz'))) {
    unavailable = `the full data is not at ${FULL}`;
    return;
  }
  const r = cli('train', '--epochs', '1', '--save', run);
  if (r.status !== 0) throw new Error(`train --save failed: ${r.stderr}`);
});

type Analysis = {
  accuracy: number;
  confusion: number[][];
  perClass: { class: string; precision: number; recall: number; f1: number }[];
  mostConfused: { true: string; predicted: string; count: number }[];
  topLosses: { index: number; true: string; predicted: string; probability: number; loss: number }[];
};

test('analyze --json: sums to 10,000, diagonal = verify accuracy, = an independent numpy count', (t) => {
  if (unavailable) return t.skip(unavailable);
  const r = cli('analyze', run, '--json');
  assert.equal(r.status, 0, r.stderr);
  const a = JSON.parse(r.stdout) as Analysis;
  const sum = a.confusion.flat().reduce((x, y) => x + y, 0);
  assert.equal(sum, 10_000);
  const diagonal = a.confusion.reduce((s, row, i) => s + row[i], 0);
  assert.equal(a.accuracy, diagonal / 10_000);

  const v = cli('verify', join(run, 'model.onnx'), '--batch-one', '10', '--preview', '0', '--json');
  assert.equal(v.status, 0, v.stderr);
  assert.equal(JSON.parse(v.stdout).exportAccuracy, diagonal / 10_000);

  // The same matrix from the weights file and from the checkpoint (both run through the export graph).
  for (const file of ['model.safetensors', 'checkpoint.ckpt']) {
    const w = cli('analyze', join(run, file), '--json', '--top', '0');
    assert.equal(w.status, 0, w.stderr);
    assert.deepEqual(JSON.parse(w.stdout).confusion, a.confusion, file);
  }

  assert.equal(a.perClass.length, 10);
  assert.equal(a.perClass[0].class, 'T-shirt/top');
  assert.ok(a.mostConfused.length > 0 && a.mostConfused[0].count >= a.mostConfused.at(-1)!.count);
  assert.equal(a.topLosses.length, 8);
  for (const l of a.topLosses) assert.notEqual(l.true, l.predicted);

  const py = spawnSync('/usr/bin/python3', ['scripts/confusion-from-onnx.py', join(run, 'model.onnx'), FULL], {
    cwd: root,
    encoding: 'utf8',
  });
  if (py.status !== 0) return t.skip(`no independent count: ${py.stderr.trim().split('\n').at(-1)}`);
  assert.deepEqual(JSON.parse(py.stdout).confusion, a.confusion);
});

test('analyze prints the heat map, the per-class table, most confused and the worst mistakes', (t) => {
  if (unavailable) return t.skip(unavailable);
  const r = cli('analyze', run, '--top', '2');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /Model: .*model\.onnx \(onnx\); test data: 10,000 images/);
  assert.match(r.stdout, /^Accuracy \d+\.\d\d% \([\d,]+ of 10,000 test images\)/);
  assert.match(r.stdout, /\n0 T-shirt\/top +\d+/);
  assert.match(r.stdout, /\nclass +precision +recall +F1\n/);
  assert.match(r.stdout, /Most confused \(true → predicted, images\)\n {2}\S.* → .* \d+\n/);
  assert.match(r.stdout, /The 2 images it got most confidently wrong/);
  assert.match(r.stdout, /✗ .* \d+%/);
});

test('analyze --png draws the confusion matrix; an existing file is refused before the work', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const png = join(dir, 'confusion.png');
  const r = cli('analyze', run, '--top', '0', '--png', png);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /Wrote .*confusion\.png/);
  const meta = await sharp(png).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', CONFUSION_SIZE.width, CONFUSION_SIZE.height]);
  const again = cli('analyze', run, '--png', png);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /confusion\.png already exists \(use --force to replace it\)/);
  assert.doesNotMatch(again.stderr, /Model:/, 'refused before loading anything');
  assert.equal(cli('analyze', run, '--top', '0', '--png', png, '--force').status, 0);
});

test('analyze refuses bad input in one line, exit 2 or 1, no stack trace', () => {
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  const junk = join(dir, 'junk.onnx');
  writeFileSync(junk, 'not a model');
  const cases: [string[], number, RegExp][] = [
    [[], 2, /analyze needs one model: .* \(got 0; see 'fmnist-tui analyze --help'\)/],
    [[empty], 1, /holds no model \(model\.onnx, model\.safetensors or checkpoint\.ckpt\)/],
    [[join(dir, 'missing')], 1, /cannot read .*missing/],
    [[junk], 1, /junk\.onnx is not an ONNX model/],
    [[empty, '--top=-1'], 2, /--top must be 0 or more/],
  ];
  for (const [args, status, message] of cases) {
    const r = cli('analyze', ...args);
    assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});
