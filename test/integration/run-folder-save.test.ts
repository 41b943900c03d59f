import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/core/errors.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import type { Engine } from '../../src/core/train/engine.js';
import { OPTIMIZER_DEFAULTS, SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';
import { cloneTensors, type NamedTensors } from '../../src/core/tensors.js';
import { referenceLogits } from '../../src/core/verify/reference-forward.js';
import { readCheckpoint } from '../../src/io/checkpoint.js';
import { loadDataset } from '../../src/io/data/load.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';
import { inspectOnnx } from '../../src/io/onnx-model.js';
import { defaultRunDir, formatSaveReport, saveRun, type RunState } from '../../src/io/run-folder.js';
import { readWeights } from '../../src/io/safetensors.js';

const spec: ModelSpec = {
  hidden: [{ units: 20, activation: 'relu', dropout: 0.1 }],
  finalActivation: 'none',
  logSoftmax: false,
};

/** An Engine whose in-memory model is the plain TypeScript forward pass (no training). */
function referenceEngine(parameters: NamedTensors): Engine {
  const unused = async () => {
    throw new Error('not used');
  };
  return {
    name: 'onnx',
    backend: 'typescript reference (test)',
    trainSteps: unused,
    evaluate: unused,
    predict: async (images, count) => referenceLogits(spec, parameters, images, count),
    getParameters: async () => parameters,
    setParameters: unused,
    getOptimizerState: async () => ({ step: 0, tensors: new Map() }),
    setOptimizerState: unused,
    dispose: async () => {},
  };
}

async function runState(parameters = initParameters(spec, 5)): Promise<RunState> {
  const dataset = await loadDataset({ dataDir: embeddedDataDir() });
  const momentum: NamedTensors = new Map(
    [...parameters].map(([k, t]) => [`momentum_buffer/${k}`, { shape: [...t.shape], data: t.data.map((v) => v / 7) }]),
  );
  return {
    spec,
    hyperparameters: { ...SEED_HYPERPARAMETERS, optimizer: { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9 }, epochs: 2 },
    parameters,
    optimizerState: { step: 188, tensors: momentum },
    epoch: 2,
    step: 188,
    history: [
      {
        epoch: 1,
        trainLoss: 1.2,
        testLoss: 0.9,
        testAccuracy: 0.61,
        seconds: 0.5,
        samplesPerSecond: 12000,
        learningRate: 1e-3,
      },
      {
        epoch: 2,
        trainLoss: 0.8,
        testLoss: 0.7,
        testAccuracy: 0.7,
        seconds: 0.5,
        samplesPerSecond: 12000,
        learningRate: 1e-3,
      },
    ],
    dataset,
    engine: referenceEngine(parameters),
  };
}

test('saveRun writes the five files, verifies the export, and reports sizes and verdict', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'fmnist-run-')), 'runs', 'a');
  const run = await runState();
  const stages: string[] = [];
  const report = await saveRun(dir, run, {
    verify: { batchOneCount: 30 },
    onProgress: (s, d) => (d ? undefined : stages.push(s)),
  });
  assert.deepEqual(readdirSync(dir).sort(), [
    'checkpoint.ckpt',
    'metrics.json',
    'model.onnx',
    'model.safetensors',
    'verify-report.json',
  ]);
  assert.deepEqual(stages, ['weights', 'checkpoint', 'metrics', 'onnx', 'verify', 'verifyReport']);
  assert.equal(report.verdict, 'PASS');
  assert.equal(report.files.length, 5);
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
    assert.match(
      err.message,
      /model\.onnx already exists \(use --force to replace the run folder's files, or save to a new folder\)/,
    );
    return true;
  });
  assert.deepEqual(readdirSync(dir), ['model.onnx']);
  const report = await saveRun(dir, run, { force: true, verify: { batchOneCount: 5 } });
  assert.equal(report.verdict, 'PASS');
  assert.equal(readdirSync(dir).length, 5);
});

test('a failure part-way removes the files this save wrote', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-run-'));
  const run = await runState();
  // model.onnx cannot be written: a directory sits where the file goes (and --force cannot replace it).
  mkdirSync(join(dir, 'model.onnx'));
  await assert.rejects(saveRun(dir, run, { force: true }), (err: unknown) => {
    assert.ok(err instanceof UserError, String(err));
    assert.equal(err.message.split('\n').length, 1);
    assert.match(err.message, /model\.onnx/);
    return true;
  });
  assert.deepEqual(readdirSync(dir), ['model.onnx']);
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
