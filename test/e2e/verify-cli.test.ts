import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelSpec } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { cloneTensors } from '../../src/core/tensors.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';
import { writeWeights } from '../../src/io/safetensors.js';
import { tinyOnnx } from '../integration/verify-fixture.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FMNIST_DATA_DIR: embeddedDataDir() },
  });

const spec: ModelSpec = {
  hidden: [{ units: 24, activation: 'relu', dropout: 0 }],
  finalActivation: 'relu',
  logSoftmax: false,
};

async function runFolder() {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-verify-cli-'));
  const parameters = initParameters(spec, 4);
  await writeWeights(join(dir, 'model.safetensors'), parameters, spec);
  writeFileSync(join(dir, 'model.onnx'), tinyOnnx(spec, parameters));
  return { dir, parameters };
}

test('verify finds the weights beside the export, prints previews and PASS, exit 0', async () => {
  const { dir } = await runFolder();
  const r = cli('verify', join(dir, 'model.onnx'), '--reference', 'typescript', '--batch-one', '25', '--preview', '3');
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stderr, /Reference: .*model\.safetensors \(weights\); test data: 1,000 images/);
  assert.match(r.stdout, /First 3 test images/);
  assert.match(r.stdout, /batches of 1,000: .* argmax agreement 1,000\/1,000 .* ok/);
  assert.match(r.stdout, /batch size 1 \(25 images\):/);
  assert.match(r.stdout, /accuracy: in-memory \d+\.\d\d%, ONNX \d+\.\d\d%/);
  assert.match(r.stdout, /\nPASS\n$/);
});

test('verify with the default reference (the onnx engine) passes too', async (t) => {
  const { dir } = await runFolder();
  const r = cli('verify', join(dir, 'model.onnx'), '--batch-one', '10', '--preview', '0');
  if (r.status !== 0 && /engine is not available/.test(r.stderr)) return t.skip('the onnx engine is not in this build');
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /\nPASS\n$/);
});

test('verify --json and --report give the same machine-readable report', async () => {
  const { dir } = await runFolder();
  const report = join(dir, 'report.json');
  const r = cli(
    'verify',
    join(dir, 'model.onnx'),
    '--reference',
    'typescript',
    '--batch-one',
    '5',
    '--json',
    '--report',
    report,
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.verdict, 'PASS');
  assert.equal(out.referenceFile.computedBy, 'typescript');
  const saved = JSON.parse(readFileSync(report, 'utf8'));
  assert.equal(saved.verdict, 'PASS');
  assert.equal(saved.batched.count, 1000);
  const again = cli('verify', join(dir, 'model.onnx'), '--reference', 'typescript', '--report', report);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /report\.json already exists \(use --force to replace it\)/);
});

test('verify says FAIL and exits 1 when the export does not match its weights', async () => {
  const { dir, parameters } = await runFolder();
  const other = cloneTensors(parameters);
  other.get('linear_relu_stack.0.weight')!.data[300] += 3;
  writeFileSync(join(dir, 'model.onnx'), tinyOnnx(spec, other));
  const r = cli('verify', join(dir, 'model.onnx'), '--reference', 'typescript', '--batch-one', '5', '--preview', '0');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /MISMATCH/);
  assert.match(r.stdout, /\nFAIL\n$/);
});

test('verify refuses bad input in one line', async (t) => {
  const { dir } = await runFolder();
  const lonely = mkdtempSync(join(tmpdir(), 'fmnist-verify-cli-'));
  writeFileSync(join(lonely, 'model.onnx'), readFileSync(join(dir, 'model.onnx')));
  const otherSpec: ModelSpec = {
    hidden: [{ units: 8, activation: 'relu', dropout: 0 }],
    finalActivation: 'none',
    logSoftmax: false,
  };
  await writeWeights(join(lonely, 'small.safetensors'), initParameters(otherSpec, 1), otherSpec);
  writeFileSync(
    join(lonely, 'tagged.onnx'),
    tinyOnnx(spec, initParameters(spec, 4), { 'fmnist_tui.spec': JSON.stringify(spec) }),
  );
  writeFileSync(join(lonely, 'junk.onnx'), 'junk');
  const cases: [string, string[], number, RegExp][] = [
    ['no file', [], 2, /verify needs one ONNX file/],
    ['missing file', [join(dir, 'none.onnx')], 1, /cannot read .*none\.onnx: no such file or directory/],
    [
      'no reference beside it',
      [join(lonely, 'model.onnx')],
      2,
      /no trained model to compare .* with: pass --weights FILE/,
    ],
    [
      'weights of another model',
      [join(lonely, 'tagged.onnx'), '--weights', join(lonely, 'small.safetensors')],
      1,
      new RegExp(
        String.raw`tagged\.onnx was exported from a different model \(784 → 24 relu → 10 relu\) ` +
          String.raw`than .*small\.safetensors \(784 → 8 relu → 10\); pass the weights it came from with --weights`,
      ),
    ],
    [
      'not ONNX',
      [join(lonely, 'junk.onnx'), '--weights', join(dir, 'model.safetensors'), '--reference', 'typescript'],
      1,
      /junk\.onnx is not an ONNX model/,
    ],
    [
      'bad reference',
      [join(dir, 'model.onnx'), '--reference', 'pytorch'],
      2,
      /--reference: unknown value 'pytorch' \(choose onnx, tfjs, typescript\)/,
    ],
    ['bad batch size', [join(dir, 'model.onnx'), '--batch-size', '0'], 2, /--batch-size must be at least 1/],
  ];
  for (const [name, args, code, pattern] of cases)
    await t.test(name, () => {
      const r = cli('verify', ...args);
      assert.equal(r.status, code, r.stderr);
      const errorLines = r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('fmnist-tui:'));
      assert.equal(errorLines.length, 1, r.stderr);
      assert.match(errorLines[0], pattern);
    });
  assert.deepEqual(readdirSync(lonely).sort(), ['junk.onnx', 'model.onnx', 'small.safetensors', 'tagged.onnx']);
});
