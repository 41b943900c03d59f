import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/core/errors.js';
import { cloneTensors } from '../../src/core/tensors.js';
import { readCheckpoint } from '../../src/io/checkpoint.js';
import { inspectOnnx } from '../../src/io/onnx-model.js';
import { defaultRunDir, saveRun } from '../../src/io/run-folder.js';
import { formatSaveReport } from '../../src/io/save-report.js';
import { readWeights } from '../../src/io/safetensors.js';
import { referenceEngine, runState, spec } from './run-fixture.js';

test('saveRun writes the eight files, verifies the export, and reports sizes and verdict', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'fmnist-run-')), 'runs', 'a');
  const run = await runState();
  const stages: string[] = [];
  const report = await saveRun(dir, run, {
    verify: { batchOneCount: 30 },
    onProgress: (s, d) => (d ? undefined : stages.push(s)),
  });
  assert.deepEqual(readdirSync(dir).sort(), [
    'checkpoint.ckpt',
    'confusion.png',
    'curves.png',
    'metrics.json',
    'model.onnx',
    'model.py',
    'model.safetensors',
    'verify-report.json',
  ]);
  // The checkpoint first: a save stopped half-way still leaves what --resume needs.
  assert.deepEqual(stages, [
    'checkpoint',
    'weights',
    'modelPy',
    'metrics',
    'curves',
    'confusion',
    'onnx',
    'verify',
    'verifyReport',
  ]);
  assert.equal(report.verdict, 'PASS');
  assert.equal(report.files.length, 8);
  for (const f of report.files) assert.equal(f.bytes, readFileSync(f.path).length);
  const weights = await readWeights(join(dir, 'model.safetensors'));
  assert.deepEqual(weights.spec, spec);
  const ckpt = await readCheckpoint(join(dir, 'checkpoint.ckpt'));
  assert.equal(ckpt.epoch, 2);
  assert.equal(ckpt.step, 188);
  assert.equal(ckpt.datasetFingerprint, run.dataset.fingerprint);
  assert.deepEqual([...ckpt.optimizerState.tensors.keys()], [...run.optimizerState.tensors.keys()]);
  const onnx = inspectOnnx(readFileSync(join(dir, 'model.onnx')), 'model.onnx');
  assert.equal(onnx.metadata.test_accuracy, '0.7000');
  const verify = JSON.parse(readFileSync(join(dir, 'verify-report.json'), 'utf8'));
  assert.equal(verify.verdict, 'PASS');
  assert.equal(verify.batchOne.count, 30);
  const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
  assert.equal(metrics.history.length, 2);
  assert.equal(metrics.epochsCompleted, 2);
  const text = formatSaveReport(report);
  assert.match(text, /model\.safetensors +\d+\.\d kB/);
  assert.match(text, /verification: PASS \(max \|Δ\| /);
});

test('saveRun refuses a folder holding run files unless forced, before writing anything', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-run-'));
  writeFileSync(join(dir, 'model.onnx'), 'old');
  const run = await runState();
  await assert.rejects(saveRun(dir, run), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.match(err.message, /already holds a saved run \(model\.onnx\); overwrite it, or choose another folder/);
    return true;
  });
  assert.deepEqual(readdirSync(dir), ['model.onnx']);
  const report = await saveRun(dir, run, { overwrite: true, verify: { batchOneCount: 5 } });
  assert.equal(report.verdict, 'PASS');
  assert.equal(readdirSync(dir).length, 8);
});

test('a failure part-way leaves the folder as it was, and no temp files', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'fmnist-run-'));
  const dir = join(parent, 'a');
  const run = await runState();
  const failing = { ...run, engine: { ...run.engine, predict: async () => Promise.reject(new Error('engine gone')) } };
  await assert.rejects(saveRun(dir, failing), /engine gone/);
  assert.deepEqual(readdirSync(parent), [], 'nothing of the failed save is left');
  await saveRun(dir, run, { verify: { skip: true } });
  const before = readFileSync(join(dir, 'model.safetensors'));
  await assert.rejects(saveRun(dir, failing, { overwrite: true }), /engine gone/);
  assert.deepEqual(readdirSync(parent), ['a']);
  assert.deepEqual(readdirSync(dir).sort(), [
    'checkpoint.ckpt',
    'confusion.png',
    'curves.png',
    'metrics.json',
    'model.onnx',
    'model.py',
    'model.safetensors',
  ]);
  assert.deepEqual(readFileSync(join(dir, 'model.safetensors')), before);
});

test('a run whose export does not match its engine is saved with verdict FAIL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-run-'));
  const run = await runState();
  const drifted = cloneTensors(run.parameters);
  drifted.get('linear_relu_stack.3.bias')!.data[0] += 1;
  const report = await saveRun(dir, { ...run, engine: referenceEngine(drifted) }, { verify: { batchOneCount: 5 } });
  assert.equal(report.verdict, 'FAIL');
  assert.equal(JSON.parse(readFileSync(join(dir, 'verify-report.json'), 'utf8')).verdict, 'FAIL');
});

test('the default run folder is a timestamp under runs/', () => {
  assert.equal(defaultRunDir(new Date('2026-11-27T07:31:05.123Z')), join('runs', '2026-11-27T07-31-05'));
  assert.ok(!existsSync(defaultRunDir()));
});
