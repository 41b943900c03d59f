// TIDY item 2: the session's Save / Export / Verify call the run folder writer `train --save`
// uses, so a failed step leaves nothing behind and can be retried in the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunFolderExistsError, lockPathFor } from '../../src/io/run-folder-store.js';
import { createRealServices } from '../../src/ui/real-services.js';
import type { TrainedModel } from '../../src/ui/services.js';
import { runState } from '../integration/run-fixture.js';

async function trained(): Promise<{ model: TrainedModel; dataset: Awaited<ReturnType<typeof runState>>['dataset'] }> {
  const run = await runState();
  const { engine, optimizerState, epoch, step, history } = run;
  return {
    dataset: run.dataset,
    model: {
      spec: run.spec,
      hyperparameters: run.hyperparameters,
      parameters: run.parameters,
      extra: { engine, optimizerState, epoch, step, history },
    },
  };
}

test('a failed Save in the session can be retried (folder in use, then free)', async () => {
  const services = createRealServices({ env: {}, verifyBatchOneCount: 5 });
  const { model, dataset } = await trained();
  const dir = join(mkdtempSync(join(tmpdir(), 'fmnist-session-')), 'run');
  const other = spawn('sleep', ['60'], { stdio: 'ignore' });
  writeFileSync(lockPathFor(dir), `${other.pid}\n`);
  await assert.rejects(services.saveRun({ dir, dataset, model }), /in use by another fmnist-tui/);
  // HARDEN 13: a folder under /proc is refused at once (recursive mkdir spun forever).
  await assert.rejects(services.saveRun({ dir: '/proc/nope/run', dataset, model }), /cannot create .*no such file/);
  other.kill('SIGKILL');
  await new Promise((r) => other.once('exit', r));
  const saved = await services.saveRun({ dir, dataset, model });
  assert.deepEqual(
    saved.files.map((f) => f.path),
    ['checkpoint.ckpt', 'model.safetensors', 'model.py', 'metrics.json', 'curves.png', 'confusion.png'].map((n) =>
      join(dir, n),
    ),
  );
  const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
  assert.equal(metrics.format, 1, 'the same metrics.json as train --save');
});

test('Save onto a saved run is refused as "exists" until overwrite is asked for; Export and Verify retry', async () => {
  const services = createRealServices({ env: {}, verifyBatchOneCount: 5 });
  const { model, dataset } = await trained();
  const dir = join(mkdtempSync(join(tmpdir(), 'fmnist-session-')), 'run');
  await services.saveRun({ dir, dataset, model });
  await assert.rejects(services.saveRun({ dir, dataset, model }), (err: unknown) => {
    assert.ok(err instanceof RunFolderExistsError);
    assert.equal(err.reason, 'exists');
    assert.match(
      err.message,
      /already holds a saved run \(model\.safetensors\); overwrite it, or choose another folder/,
    );
    return true;
  });
  await services.saveRun({ dir, dataset, model, overwrite: true });

  // Export fails (a folder where model.onnx goes), then succeeds once it is gone.
  mkdirSync(join(dir, 'model.onnx'));
  await assert.rejects(services.exportOnnx({ dir, dataset, model, overwrite: true }), /it is a folder/);
  rmdirSync(join(dir, 'model.onnx'));
  const exported = await services.exportOnnx({ dir, dataset, model });
  assert.equal(exported.file.path, join(dir, 'model.onnx'));
  const verified = await services.verify({ onnxPath: exported.file.path, dir, dataset, model, previewIndices: [0] });
  assert.equal(verified.verdict, 'PASS');
  assert.ok(existsSync(join(dir, 'verify-report.json')));
  // A second export replaces model.onnx only when asked, and drops the report it makes stale.
  await assert.rejects(services.exportOnnx({ dir, dataset, model }), RunFolderExistsError);
  await services.exportOnnx({ dir, dataset, model, overwrite: true });
  assert.deepEqual(readdirSync(dir).sort(), [
    'checkpoint.ckpt',
    'confusion.png',
    'curves.png',
    'metrics.json',
    'model.onnx',
    'model.py',
    'model.safetensors',
  ]);
});

test('the session refuses to train a model that cannot fit in memory, with the figures (HARDEN 16)', async (t) => {
  const { machineMemoryBytes } = await import('../../src/io/machine-memory.js');
  if (machineMemoryBytes() > 28e9) return t.skip('this machine could hold it');
  const { OPTIMIZER_DEFAULTS } = await import('../../src/core/train/hyperparameters.js');
  const services = createRealServices({ env: {} });
  const { model, dataset } = await trained();
  const run = services.startTraining({
    dataset,
    spec: { ...model.spec, hidden: Array.from({ length: 8 }, () => ({ units: 8192, activation: 'relu', dropout: 0 })) },
    hyperparameters: { ...model.hyperparameters, optimizer: OPTIMIZER_DEFAULTS.adam },
    engine: 'onnx',
    previewIndices: [],
  });
  await assert.rejects(
    run.events[Symbol.asyncIterator]().next(),
    /this model \(476 million parameters\) needs ~\d+\.\d GB to train, this machine has \d+\.\d GB/,
  );
  await services.dispose();
});
