import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelSpec } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';
import { writeCheckpoint } from '../../src/io/checkpoint.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';
import { inspectOnnx } from '../../src/io/onnx-model.js';
import { encodeSafetensors, writeWeights } from '../../src/io/safetensors.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FMNIST_DATA_DIR: embeddedDataDir() },
  });
const spec: ModelSpec = {
  hidden: [{ units: 16, activation: 'relu', dropout: 0 }],
  finalActivation: 'none',
  logSoftmax: false,
};

test('export writes model.onnx beside weights, measuring the test accuracy, then verify passes it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-export-cli-'));
  const weights = join(dir, 'model.safetensors');
  await writeWeights(weights, initParameters(spec, 2), spec);
  const r = cli('export', weights);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Exported .*model\.safetensors \(weights, 784 → 16 relu → 10\)/);
  assert.match(r.stdout, /test accuracy \d+\.\d\d% \(measured on 1,000 test images/);
  const onnxPath = join(dir, 'model.onnx');
  const info = inspectOnnx(readFileSync(onnxPath), onnxPath);
  assert.match(info.metadata.test_accuracy, /^0\.\d{4}$/);
  const v = cli('verify', onnxPath, '--reference', 'typescript', '--batch-one', '10', '--preview', '0');
  assert.equal(v.status, 0, v.stderr + v.stdout);
  assert.match(v.stdout, /PASS\n$/);
});

test('export from a checkpoint takes the accuracy from its history; -o, --force and --json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-export-cli-'));
  const ckpt = join(dir, 'checkpoint.ckpt');
  const history = [
    { epoch: 1, trainLoss: 1, testLoss: 1, testAccuracy: 0.4321, seconds: 1, samplesPerSecond: 1, learningRate: 1e-3 },
  ];
  await writeCheckpoint(ckpt, {
    spec,
    hyperparameters: SEED_HYPERPARAMETERS,
    parameters: initParameters(spec, 3),
    optimizerState: { step: 5, tensors: new Map() },
    epoch: 1,
    step: 5,
    history,
    datasetFingerprint: 'x',
    engine: 'onnx',
  });
  const out = join(dir, 'sub', 'fashion.onnx');
  const r = cli('export', ckpt, '-o', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.kind, 'checkpoint');
  assert.equal(j.testAccuracy, 0.4321);
  assert.equal(j.bytes, readFileSync(out).length);
  assert.equal(inspectOnnx(readFileSync(out), out).metadata.test_accuracy, '0.4321');
  const again = cli('export', ckpt, '-o', out);
  assert.equal(again.status, 2);
  assert.match(
    again.stderr,
    /fashion\.onnx already exists \(use --force to replace it, or -o to choose another file\)/,
  );
  assert.equal(cli('export', ckpt, '-o', out, '--force').status, 0);
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['fashion.onnx']);
});

test('export refuses bad input in one line and writes nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-export-cli-'));
  const foreign = join(dir, 'foreign.safetensors');
  writeFileSync(foreign, encodeSafetensors(initParameters(spec, 1)));
  const text = join(dir, 'notes.safetensors');
  writeFileSync(text, 'hello');
  const good = join(dir, 'good.safetensors');
  await writeWeights(good, initParameters(spec, 1), spec);
  const truncated = join(dir, 'cut.safetensors');
  writeFileSync(truncated, readFileSync(good).subarray(0, 5000));
  const cases: [string, string[], number, RegExp][] = [
    ['no input', [], 2, /export needs one weights or checkpoint file \(got 0/],
    [
      'missing',
      [join(dir, 'nope.safetensors'), '-o', join(dir, 'a.onnx')],
      1,
      /cannot read .*nope\.safetensors: no such file or directory/,
    ],
    ['not safetensors', [text, '-o', join(dir, 'b.onnx')], 1, /notes\.safetensors is not a safetensors file/],
    ['truncated', [truncated, '-o', join(dir, 'c.onnx')], 1, /cut\.safetensors is truncated/],
    [
      'foreign weights without --preset',
      [foreign, '-o', join(dir, 'd.onnx')],
      1,
      /has no fmnist-tui model spec in its metadata; say which model it is with --preset/,
    ],
    [
      'foreign weights, wrong --preset',
      [foreign, '--preset', 'seed', '-o', join(dir, 'e.onnx')],
      1,
      /does not match the model: 'linear_relu_stack\.0\.weight' has shape \[16, 784\], the model needs \[512, 784\]/,
    ],
    [
      'unknown preset',
      [good, '--preset', 'huge'],
      2,
      /--preset: unknown value 'huge' \(choose seed, recommended, cnn, best\)/,
    ],
    ['output under a file', [good, '-o', join(good, 'x.onnx'), '--no-accuracy'], 1, /cannot (write|create directory)/],
  ];
  for (const [name, args, code, pattern] of cases)
    await t.test(name, () => {
      const r = cli('export', ...args);
      assert.equal(r.status, code, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, pattern);
    });
  assert.deepEqual(readdirSync(dir).sort(), [
    'cut.safetensors',
    'foreign.safetensors',
    'good.safetensors',
    'notes.safetensors',
  ]);
  assert.ok(!existsSync(join(dir, 'model.onnx')));
});

test('export --help teaches', () => {
  const r = cli('export', '--help');
  assert.equal(r.status, 0);
  for (const s of ['--output', '--preset', '--force', '--json', 'opset 17', 'pixel / 255'])
    assert.ok(r.stdout.includes(s), s);
});
