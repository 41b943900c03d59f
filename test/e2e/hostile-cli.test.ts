// HARDEN items 3, 9, 11, 13 and 20 (Ctrl-C during save), end to end through the CLI: a full
// stdout, SIGTERM, paths under /proc and special output files each end with one line and an exit
// code that says so, never a stack, a hang or a lost run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initParameters } from '../../src/core/model/init.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import { writeWeights } from '../../src/io/safetensors.js';

const root = new URL('../../', import.meta.url).pathname;
const sample = join(root, 'assets/fashion-mnist-sample');
const env = { ...process.env, NO_COLOR: '1', FMNIST_OFFLINE: '1' };
const TINY = ['--data-dir', sample, '--hidden', '16', '--batch-size', '256'];
const spec: ModelSpec = {
  hidden: [{ units: 16, activation: 'relu', dropout: 0 }],
  finalActivation: 'none',
  logSoftmax: false,
};

function cli(args: string[], options: { stdout?: number; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: options.env ?? env,
    timeout: 60_000,
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
  });
}

/** One line on stderr starting "fmnist-tui: " and matching `pattern`; no stack trace. */
function assertOneLine(r: SpawnSyncReturns<string>, pattern: RegExp): void {
  assert.notEqual(r.status, 0, r.stderr);
  assert.equal(r.signal, null, 'not killed by the timeout');
  const last = r.stderr.trim().split('\n').at(-1)!;
  assert.match(last, /^fmnist-tui: /);
  assert.match(last, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

test('item 3: output to a full disk (/dev/full) is an error, not a silent exit 0 or a stack', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-full-'));
  await writeWeights(join(dir, 'w.safetensors'), initParameters(spec, 1), spec);
  const full = openSync('/dev/full', 'w');
  try {
    for (const args of [
      ['data', '--json', '--data-dir', sample],
      ['train', ...TINY, '--epochs', '1'],
      ['export', join(dir, 'w.safetensors'), '--json', '--no-accuracy'],
    ]) {
      const r = cli(args, { stdout: full });
      assertOneLine(r, /cannot write the output: no space left on device/);
    }
  } finally {
    closeSync(full);
  }
});

test('item 13: paths under /proc are refused at once (recursive mkdir spun forever)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-proc-'));
  await writeWeights(join(dir, 'w.safetensors'), initParameters(spec, 1), spec);
  assertOneLine(
    cli(['train', ...TINY, '--epochs', '1', '--save', '/proc/nope/run']),
    /cannot create .*no such file or directory/,
  );
  assertOneLine(
    cli(['export', join(dir, 'w.safetensors'), '-o', '/proc/nope/m.onnx', '--no-accuracy']),
    /cannot create .*\/proc\/nope.*no such file or directory/,
  );
  assertOneLine(
    cli(['config'], { env: { ...env, FMNIST_CONFIG_DIR: '/proc/nope' } }),
    /cannot create the settings folder \/proc\/nope: no such file or directory/,
  );
});

test('item 11: export -o /dev/null (with or without --force) and predict --sheet onto a FIFO are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-dev-'));
  await writeWeights(join(dir, 'w.safetensors'), initParameters(spec, 1), spec);
  for (const force of [['--force'], []])
    assertOneLine(
      cli(['export', join(dir, 'w.safetensors'), '-o', '/dev/null', ...force, '--no-accuracy']),
      /cannot write \/dev\/null: it is a device; write to a regular file or a new path/,
    );
  const fifo = join(dir, 'sheet.png');
  spawnSync('mkfifo', [fifo]);
  assertOneLine(
    cli(['predict', join(dir, 'm.onnx'), '--sheet', fifo, '--force']),
    /cannot write .*sheet\.png: it is a named pipe \(FIFO\); write to a regular file or a new path/,
  );
});

test('item 16: predict --sheet --count 100000000 is refused (it reached 3.2 GB)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-count-'));
  const { exportOnnx } = await import('../../src/io/onnx-export.js');
  await exportOnnx(join(dir, 'm.onnx'), spec, initParameters(spec, 1));
  assertOneLine(
    cli(['predict', join(dir, 'm.onnx'), '--sheet', join(dir, 's.png'), '--count', '100000000', '--data-dir', sample]),
    /--count 100000000: a sheet holds at most 1,000 images/,
  );
});

/** A complete run folder (its five core files; plots may join them) and no temp files in it. */
function assertWholeRun(dir: string): void {
  const names = readdirSync(dir);
  for (const f of ['checkpoint.ckpt', 'metrics.json', 'model.onnx', 'model.safetensors', 'verify-report.json'])
    assert.ok(names.includes(f), `${f} in ${names.join(', ')}`);
  assert.deepEqual(
    names.filter((n) => n.startsWith('.')),
    [],
  );
}

/** Start a training run and send `signal` when `when` first matches its stderr. */
function trainAndSignal(args: string[], when: RegExp, signal: NodeJS.Signals) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', 'train', ...args], { cwd: root, env });
  let stderr = '';
  let all = '';
  let sent = false;
  const watch = (d: Buffer, isErr: boolean) => {
    if (isErr) stderr += d;
    all += d;
    if (!sent && when.test(all)) {
      sent = true;
      child.kill(signal);
    }
  };
  child.stderr.on('data', (d: Buffer) => watch(d, true));
  child.stdout.on('data', (d: Buffer) => watch(d, false));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  child.on('exit', () => clearTimeout(timer));
  return new Promise<{ code: number | null; stderr: string; sent: boolean }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr, sent })),
  );
}

test('item 9: SIGTERM during training saves like Ctrl-C and exits 143', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'fmnist-term-')), 'run');
  const r = await trainAndSignal([...TINY, '--epochs', '50', '--save', dir], /Epoch 2/, 'SIGTERM');
  assert.ok(r.sent, r.stderr);
  assert.equal(r.code, 143, r.stderr);
  assert.match(r.stderr, /stopped at epoch \d+, batch \d+ \(SIGTERM\)/);
  assert.match(r.stderr, /continue with: fmnist-tui train --resume /);
  assertWholeRun(dir);
});

test('item 20: Ctrl-C during the save finishes the save, says so, and exits 130 (not 0)', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'fmnist-int-')), 'run');
  const r = await trainAndSignal(['--data-dir', sample, '--epochs', '1', '--save', dir], /saving to /, 'SIGINT');
  assert.ok(r.sent);
  assert.match(r.stderr, /finishing the save… \(Ctrl-C again to quit at once: the folder stays as it was\)/);
  assert.doesNotMatch(r.stderr, /stopping after the current step/);
  assert.equal(r.code, 130, r.stderr);
  assert.ok(existsSync(join(dir, 'verify-report.json')));
});

test('item 6: two train --save into one folder at once: the second is refused before training, the first saves', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'fmnist-two-')), 'run');
  const run = () =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli.tsx', 'train', ...TINY, '--epochs', '2', '--save', dir],
        { cwd: root, env },
      );
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.resume();
      child.on('exit', (code) => resolve({ code, stderr }));
    });
  const results = await Promise.all([run(), run()]);
  const ok = results.filter((r) => r.code === 0);
  const refused = results.filter((r) => r.code !== 0);
  assert.equal(ok.length, 1, results.map((r) => r.stderr).join('\n---\n'));
  assert.match(
    refused[0].stderr,
    /fmnist-tui: .*(is in use by another fmnist-tui \(process \d+\)|already exists there; pass --force)/,
  );
  assertWholeRun(dir);
});

test('item 10: when the final save fails, the trained checkpoint is kept and the message says where', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'fmnist-rescue-'));
  const dir = join(parent, 'run');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.tsx', 'train', ...TINY, '--epochs', '3', '--save', dir],
    { cwd: root, env },
  );
  let stderr = '';
  let blocked = false;
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d: Buffer) => {
    // Once training runs, something else takes the folder's place: the save must fail.
    if (!blocked && /Epoch 1/.test(String(d))) {
      blocked = true;
      writeFileSync(dir, 'not a folder');
    }
  });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.equal(code, 1, stderr);
  const m =
    /the trained model's checkpoint is kept at (\S+) \(continue with: fmnist-tui train --resume \1 --save <folder>\)/.exec(
      stderr,
    );
  assert.ok(m, stderr);
  const { readCheckpoint } = await import('../../src/io/checkpoint.js');
  assert.equal((await readCheckpoint(m[1])).epoch, 3);
  rmSync(m[1]);
});
