// `fmnist-tui train --save / --resume / --init-weights` end to end on the embedded sample:
// the run folder, resume = the uninterrupted run (also after Ctrl-C mid-epoch), refusals.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESETS } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { OPTIMIZER_DEFAULTS } from '../../src/core/train/hyperparameters.js';
import { createEngine } from '../../src/engines/index.js';

const root = new URL('../../', import.meta.url).pathname;
const sample = join(root, 'assets/fashion-mnist-sample');
const env = { ...process.env, NO_COLOR: '1', FMNIST_OFFLINE: '1' };
// Adam + shuffle + a schedule: every piece of state a resume must restore.
const RUN = ['--optimizer', 'adam', '--shuffle', '--seed', '5', '--schedule', 'cosine', '--batch-size', '128'];
const args = (...rest: string[]) => ['--import', 'tsx', 'src/cli.tsx', 'train', ...rest];
const cli = (...rest: string[]) =>
  spawnSync(process.execPath, args(...rest), { cwd: root, encoding: 'utf8', env, timeout: 120_000 });
const dir = mkdtempSync(join(tmpdir(), 'fmnist-train-save-'));
const weights = (run: string) => readFileSync(join(dir, run, 'model.safetensors'));

let unavailable: string | undefined;
before(async () => {
  try {
    const e = await createEngine('onnx', {
      spec: PRESETS.seed,
      loss: 'cross_entropy',
      optimizer: OPTIMIZER_DEFAULTS.sgd,
      parameters: initParameters(PRESETS.seed, 0),
    });
    await e.dispose();
  } catch (err) {
    unavailable = `the onnx engine is not available: ${(err as Error).message}`;
  }
});

test('--save writes the run folder and verifies the export; an existing run is refused before training', (t) => {
  if (unavailable) return t.skip(unavailable);
  const r = cli('--data-dir', sample, '--epochs', '2', ...RUN, '--save', join(dir, 'full'));
  assert.equal(r.status, 0, r.stderr);
  for (const f of [
    'model.safetensors',
    'checkpoint.ckpt',
    'model.onnx',
    'verify-report.json',
    'metrics.json',
    'curves.png',
    'confusion.png',
  ])
    assert.ok(existsSync(join(dir, 'full', f)), f);
  assert.match(r.stderr, /verification: PASS/);
  assert.match(r.stdout, /Done!\n$/);
  const again = cli('--data-dir', sample, '--epochs', '2', '--save', join(dir, 'full'));
  assert.equal(again.status, 2);
  assert.equal(again.stdout, '');
  assert.match(
    again.stderr.trim(),
    /^fmnist-tui: --save .*full: model\.safetensors already exists there; pass --force to replace the run, or choose another folder$/,
  );
});

test('a 1-epoch run resumed with --epochs 2 equals a 2-epoch run (constant schedule)', (t) => {
  if (unavailable) return t.skip(unavailable);
  const constant = RUN.filter((a) => a !== '--schedule' && a !== 'cosine');
  assert.equal(cli('--data-dir', sample, '--epochs', '2', ...constant, '--save', join(dir, 'two')).status, 0);
  assert.equal(cli('--data-dir', sample, '--epochs', '1', ...constant, '--save', join(dir, 'one')).status, 0);
  const more = cli(
    '--resume',
    join(dir, 'one', 'checkpoint.ckpt'),
    '--data-dir',
    sample,
    '--epochs',
    '2',
    '--save',
    join(dir, 'one-more'),
  );
  assert.equal(more.status, 0, more.stderr);
  assert.match(more.stdout, /^Epoch 2\n/);
  assert.ok(weights('one-more').equals(weights('two')), 'resumed weights differ from the uninterrupted run');
  const history = JSON.parse(readFileSync(join(dir, 'one-more', 'metrics.json'), 'utf8')).history as {
    epoch: number;
  }[];
  assert.deepEqual(
    history.map((h) => h.epoch),
    [1, 2],
  );
  // A finished checkpoint needs a larger total.
  const done = cli('--resume', join(dir, 'one', 'checkpoint.ckpt'), '--data-dir', sample);
  assert.equal(done.status, 2);
  assert.match(
    done.stderr.trim(),
    /^fmnist-tui: .*checkpoint\.ckpt has already trained 1 of 1 epochs; pass --epochs with a larger total \(e\.g\. --epochs 6\) to train further$/,
  );
});

test('Ctrl-C mid-epoch with --save writes the checkpoint; resuming it equals the uninterrupted run', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const child = spawn(
    process.execPath,
    args('--data-dir', sample, '--epochs', '2', ...RUN, '--save', join(dir, 'stopped')),
    { cwd: root, env },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    if (stdout.includes('loss:')) child.kill('SIGINT');
  });
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 130, stderr);
  const where = /^stopped at epoch (\d+), batch (\d+) \(Ctrl-C\)/m.exec(stderr);
  assert.ok(where, stderr);
  assert.match(stderr, /continue with: fmnist-tui train --resume .*stopped\/checkpoint\.ckpt/);
  const resumed = cli(
    '--resume',
    join(dir, 'stopped', 'checkpoint.ckpt'),
    '--data-dir',
    sample,
    '--save',
    join(dir, 'resumed'),
  );
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`^resume: .*, from epoch ${where[1]} \\(step \\d+\\)$`, 'm'));
  assert.match(resumed.stdout, /Done!\n$/);
  assert.ok(existsSync(join(dir, 'full', 'model.safetensors')), 'needs the first test');
  assert.ok(weights('resumed').equals(weights('full')), 'resumed weights differ from the uninterrupted run');
});

test('--init-weights starts from saved weights', (t) => {
  if (unavailable) return t.skip(unavailable);
  const r = cli(
    '--data-dir',
    sample,
    '--epochs',
    '1',
    '--preset',
    'seed',
    '--json',
    '--init-weights',
    join(dir, 'full', 'model.safetensors'),
  );
  assert.equal(r.status, 0, r.stderr);
  const firstLoss = r.stdout
    .split('\n')
    .map((l) => (l ? JSON.parse(l) : {}))
    .find((e) => e.type === 'batchEnd').loss as number;
  assert.ok(firstLoss < 2, `first loss ${firstLoss} (a fresh model starts near 2.30)`);
});

test('resuming on other data is refused (unless --force)', (t) => {
  if (unavailable) return t.skip(unavailable);
  if (!existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'))
    return t.skip('needs the full data set (/usr/share/datasets/fashion-mnist)');
  const r = cli('--resume', join(dir, 'stopped', 'checkpoint.ckpt'), '--epochs', '3');
  assert.equal(r.status, 2);
  assert.match(
    r.stderr.trim().split('\n').at(-1)!,
    /^fmnist-tui: .*checkpoint\.ckpt was trained on other data \(.*\); use the same data, or --force to continue anyway$/,
  );
  assert.equal(r.stdout, '');
});

test('a second Ctrl-C quits at once (here: while the run folder is being written)', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const child = spawn(process.execPath, args('--data-dir', sample, '--epochs', '5', '--save', join(dir, 'twice')), {
    cwd: root,
    env,
  });
  let stdout = '';
  let stderr = '';
  let first = false;
  child.stdout.on('data', (d) => {
    stdout += d;
    if (!first && stdout.includes('loss:')) {
      first = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.includes('saving to')) child.kill('SIGINT');
  });
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  assert.equal(signal, 'SIGINT', `exit code ${code}: ${stderr}`);
  assert.doesNotMatch(stderr, /Saved the run/);
});
