// HARDEN items 6, 7, 8, 10: a run folder is written whole or not at all, locked while in use,
// its checkpoint first, stale temp files of dead processes swept; an unwritable target is found
// before training. Each case below failed before the staged writer (see the test names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  statfsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/core/errors.js';
import { readCheckpoint } from '../../src/io/checkpoint.js';
import { saveRun, writeRunFolder } from '../../src/io/run-folder.js';
import { prepareRunFolder, rescueCheckpoint } from '../../src/io/run-folder-prepare.js';
import { lockPathFor } from '../../src/io/run-folder-store.js';
import { runState } from './run-fixture.js';
import { deadPid, mountTmpfs } from './tmpfs.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'fmnist-atomic-'));
const RUN = [
  'checkpoint.ckpt',
  'confusion.png',
  'curves.png',
  'metrics.json',
  'model.onnx',
  'model.py',
  'model.safetensors',
];

test('item 6: two saves into one folder at once: one wins whole, the other is refused, nothing mixed', async () => {
  const run = await runState();
  for (let trial = 0; trial < 5; trial++) {
    const parent = fresh();
    const dir = join(parent, 'run');
    const results = await Promise.allSettled([
      saveRun(dir, run, { verify: { skip: true } }),
      saveRun(dir, { ...run, epoch: 7 }, { verify: { skip: true } }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1, `trial ${trial}: exactly one save succeeds`);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(lost.reason instanceof UserError);
    assert.match(lost.reason.message, /in use by another fmnist-tui \(process \d+\)|already holds a saved run/);
    assert.deepEqual(readdirSync(dir).sort(), RUN);
    assert.deepEqual(readdirSync(parent), ['run'], 'no temp folder or lock left');
    const ckpt = await readCheckpoint(join(dir, 'checkpoint.ckpt'));
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    assert.equal(metrics.epochsCompleted, ckpt.epoch, 'checkpoint and metrics come from the same save');
  }
});

test('item 6: a folder locked by a live process is refused; its lock is taken over once the process is gone', async () => {
  const parent = fresh();
  const dir = join(parent, 'run');
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  writeFileSync(lockPathFor(dir), `${sleeper.pid}\n`);
  const run = await runState();
  await assert.rejects(
    writeRunFolder(dir, run),
    new RegExp(`in use by another fmnist-tui \\(process ${sleeper.pid}\\)`),
  );
  assert.ok(!existsSync(dir));
  sleeper.kill('SIGKILL');
  await new Promise((r) => sleeper.once('exit', r));
  await writeRunFolder(dir, run);
  assert.deepEqual(readdirSync(dir).sort(), [
    'checkpoint.ckpt',
    'confusion.png',
    'curves.png',
    'metrics.json',
    'model.py',
    'model.safetensors',
  ]);
  assert.ok(!existsSync(lockPathFor(dir)));
});

test('item 7: --force onto a full disk leaves the old run whole (no new weights beside the old model.onnx)', async (t) => {
  const disk = mountTmpfs('1m');
  if (!disk) return t.skip('cannot mount a tmpfs here (needs root)');
  try {
    const dir = join(disk.path, 'run');
    const run = await runState();
    await saveRun(dir, run, { verify: { batchOneCount: 5 } });
    const old = Object.fromEntries(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n))]));
    // Fill the disk so the new run cannot be written beside the old one.
    const free = statfsSync(disk.path);
    writeFileSync(join(disk.path, 'filler'), Buffer.alloc(Math.max(0, free.bavail * free.bsize - 60_000)));
    const changed = {
      ...run,
      epoch: 9,
      parameters: new Map([...run.parameters].map(([k, v]) => [k, { ...v, data: v.data.map((x) => x + 1) }])),
    };
    await assert.rejects(saveRun(dir, changed, { overwrite: true, verify: { batchOneCount: 5 } }), (err: unknown) => {
      assert.ok(err instanceof UserError, String(err));
      assert.match(err.message, /no space left on device/);
      return true;
    });
    for (const [name, bytes] of Object.entries(old)) assert.deepEqual(readFileSync(join(dir, name)), bytes, name);
    assert.deepEqual(readdirSync(disk.path).sort(), ['filler', 'run']);
  } finally {
    disk.unmount();
  }
});

test('item 8: the checkpoint is written first, and temp files and locks of dead processes are swept', async () => {
  const parent = fresh();
  const dir = join(parent, 'run');
  const run = await runState();
  await saveRun(dir, run, { verify: { skip: true } });
  const dead = deadPid();
  const staleFile = `.model.safetensors.${dead}.0badf00d.tmp`;
  const staleFolder = `.run.${dead}.deadbeef.tmp`;
  const liveFile = `.model.onnx.${process.pid}.12345678.tmp`;
  writeFileSync(join(dir, staleFile), 'half a file');
  writeFileSync(join(dir, liveFile), 'another save of this process, still running');
  mkdirSync(join(parent, staleFolder));
  writeFileSync(join(parent, staleFolder, 'model.safetensors'), 'x');
  writeFileSync(lockPathFor(dir), `${dead}\n`);
  const stages: string[] = [];
  await saveRun(dir, run, { overwrite: true, verify: { skip: true }, onProgress: (s) => stages.push(s) });
  assert.deepEqual(stages.slice(0, 2), ['checkpoint', 'weights']);
  assert.deepEqual(readdirSync(parent), ['run']);
  assert.ok(!readdirSync(dir).includes(staleFile));
});

test('item 10: a read-only folder, a dangling symlink or a full disk is refused before training', async (t) => {
  const parent = fresh();
  symlinkSync(join(parent, 'missing'), join(parent, 'link'));
  await assert.rejects(prepareRunFolder(join(parent, 'link')), /symbolic link to a missing folder/);
  writeFileSync(join(parent, 'file'), 'x');
  await assert.rejects(prepareRunFolder(join(parent, 'file')), /is a file, not a folder/);
  await assert.rejects(prepareRunFolder('/proc/nope/run'), /cannot create .*: no such file or directory/);
  const ro = mountTmpfs('100k', true);
  if (ro)
    try {
      await assert.rejects(prepareRunFolder(join(ro.path, 'run')), /cannot save to .*: read-only file system/);
    } finally {
      ro.unmount();
    }
  const small = mountTmpfs('100k');
  if (!small) return t.skip('cannot mount a tmpfs here (needs root)');
  try {
    await assert.rejects(
      prepareRunFolder(join(small.path, 'run'), { estimatedBytes: 5e6 }),
      /the run needs about 5\.0 MB and only 0\.1 MB are free there/,
    );
    assert.deepEqual(readdirSync(small.path), [], 'the probe and the lock are gone');
    const lock = await prepareRunFolder(join(small.path, 'run'), { estimatedBytes: 10_000 });
    await lock.release();
  } finally {
    small.unmount();
  }
});

test('item 10: when the final save fails, the checkpoint is kept somewhere safe', async () => {
  const run = await runState();
  const kept = await rescueCheckpoint('runs/x', run);
  assert.ok(kept && existsSync(kept));
  const ckpt = await readCheckpoint(kept);
  assert.equal(ckpt.epoch, run.epoch);
  rmSync(kept);
});
