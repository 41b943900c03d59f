// `fmnist-tui train` end to end on the embedded sample (6,000 / 1,000 images): the seed's lines,
// --json events, determinism, divergence and Ctrl-C. Uses the default engine (onnx);
// FMNIST_TEST_ENGINE=tfjs runs the same checks on the TF.js engine.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PRESETS } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { OPTIMIZER_DEFAULTS } from '../../src/core/train/hyperparameters.js';
import { createEngine } from '../../src/engines/index.js';
import type { EngineName } from '../../src/core/train/engine.js';

const root = new URL('../../', import.meta.url).pathname;
const sample = join(root, 'assets/fashion-mnist-sample');
const engine = (process.env.FMNIST_TEST_ENGINE ?? 'onnx') as EngineName;
const env = { ...process.env, NO_COLOR: '1', FMNIST_OFFLINE: '1' };
const args = (...rest: string[]) => [
  '--import',
  'tsx',
  'src/cli.tsx',
  'train',
  '--data-dir',
  sample,
  '--engine',
  engine,
  ...rest,
];
const cli = (...rest: string[]) =>
  spawnSync(process.execPath, args(...rest), { cwd: root, encoding: 'utf8', env, timeout: 120_000 });

let unavailable: string | undefined;
before(async () => {
  try {
    const e = await createEngine(engine, {
      spec: PRESETS.seed,
      loss: 'cross_entropy',
      optimizer: OPTIMIZER_DEFAULTS.sgd,
      parameters: initParameters(PRESETS.seed, 0),
    });
    await e.dispose();
  } catch (err) {
    unavailable = `the ${engine} engine is not available: ${(err as Error).message}`;
  }
});

type Event = { type: string; [k: string]: unknown };
const jsonEvents = (stdout: string): Event[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Event);

test("prints the seed's lines exactly, header on stderr", (t) => {
  if (unavailable) return t.skip(unavailable);
  const r = cli('--epochs', '1', '--batch-size', '32');
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    new RegExp(
      String.raw`^Epoch 1\n-------------------------------\nloss: \d\.\d{6} {2}\[ {4}0\/ 6000\]` +
        String.raw`\nloss: \d\.\d{6} {2}\[ 3200\/ 6000\]` +
        String.raw`\nTest Error: \n Accuracy: \d{1,3}\.\d%, Avg loss: \d\.\d{6} \n\nDone!\n$`,
    ),
  );
  assert.match(r.stderr, /^data: {3}.*6,000 train \/ 1,000 test images$/m);
  assert.match(r.stderr, new RegExp(`^engine: ${engine} \\(`, 'm'));
  assert.match(r.stderr, /^model: {2}784 → 512 relu → 512 relu → 10 relu \(669,706 parameters\)$/m);
});

test('--json: one event per line, in order; the loss falls; the same seed gives identical losses', (t) => {
  if (unavailable) return t.skip(unavailable);
  const run = (seed: string) => {
    const r = cli(
      '--json',
      '--epochs',
      '2',
      '--preset',
      'recommended',
      '--optimizer',
      'adam',
      '--shuffle',
      '--seed',
      seed,
    );
    assert.equal(r.status, 0, r.stderr);
    return jsonEvents(r.stdout);
  };
  const a = run('3');
  const types = a.map((e) => e.type);
  assert.equal(types[0], 'trainBegin');
  assert.equal(types.at(-1), 'trainEnd');
  assert.equal(types.filter((x) => x === 'batchEnd').length, 2 * 94);
  assert.deepEqual(
    types.filter((x) => x !== 'batchEnd'),
    ['trainBegin', 'epochBegin', 'epochEnd', 'epochBegin', 'epochEnd', 'trainEnd'],
  );
  const epochs = a.filter((e) => e.type === 'epochEnd') as unknown as {
    trainLoss: number;
    testLoss: number;
    testAccuracy: number;
  }[];
  assert.ok(epochs[1].trainLoss < epochs[0].trainLoss, `train loss ${epochs[0].trainLoss} → ${epochs[1].trainLoss}`);
  assert.ok(epochs[1].testAccuracy > 0.6, `accuracy ${epochs[1].testAccuracy}`);
  const losses = (events: Event[]) => events.filter((e) => e.type === 'batchEnd').map((e) => e.loss);
  const first = losses(a)[0] as number;
  assert.ok(epochs[1].testLoss < first, `test loss ${epochs[1].testLoss} vs first batch ${first}`);
  assert.deepEqual(losses(run('3')), losses(a));
  assert.notDeepEqual(losses(run('4')), losses(a));
});

test('a diverging run stops with one line naming the learning rate (exit 1)', (t) => {
  if (unavailable) return t.skip(unavailable);
  const r = cli('--epochs', '1', '--lr', '1000');
  assert.equal(r.status, 1);
  const last = r.stderr.trimEnd().split('\n').at(-1)!;
  assert.match(
    last,
    new RegExp(
      String.raw`^fmnist-tui: the loss became (NaN|infinite) at epoch 1, batch \d+: ` +
        'the learning rate 1e3 is likely too high for sgd ' +
        String.raw`\(it usually works from 1e-3 to 0.1\); try 0.1 or lower$`,
    ),
  );
  assert.doesNotMatch(r.stdout, /Done!/);
});

test('Ctrl-C stops after the current step, says where, exits 130', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const child = spawn(process.execPath, args('--epochs', '100'), { cwd: root, env });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.on('data', (d) => {
    stdout += d;
    if (!sent && stdout.includes('loss:')) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /^stopped at epoch \d+, batch \d+ \(Ctrl-C\): \d+ epochs? completed$/m);
  assert.doesNotMatch(stdout, /Done!/);
});

test('a reader that goes away (| head) stops training quietly, exit 0', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const child = spawn(process.execPath, args('--epochs', '100', '--json'), { cwd: root, env });
  let stderr = '';
  child.stdout.once('data', () => child.stdout.destroy());
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|Error|at /);
});
