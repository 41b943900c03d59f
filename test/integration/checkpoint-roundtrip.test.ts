import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelSpec } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { UserError } from '../../src/core/errors.js';
import { OPTIMIZER_DEFAULTS, SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';
import type { NamedTensors } from '../../src/core/tensors.js';
import { readCheckpoint, writeCheckpoint, type CheckpointInput } from '../../src/io/checkpoint.js';
import { readWeights, writeWeights } from '../../src/io/safetensors.js';

const spec: ModelSpec = {
  hidden: [{ units: 8, activation: 'tanh', dropout: 0.25 }],
  finalActivation: 'none',
  logSoftmax: true,
};
const tmp = () => mkdtempSync(join(tmpdir(), 'fmnist-ckpt-'));

function adamState(params: NamedTensors): NamedTensors {
  const out: NamedTensors = new Map();
  let k = 1;
  for (const [name, t] of params) {
    for (const buffer of ['exp_avg', 'exp_avg_sq']) {
      const data = new Float32Array(t.data.length).map(() => Math.fround(Math.sin(k++) * 1e-3));
      out.set(`${buffer}/${name}`, { shape: [...t.shape], data });
    }
  }
  return out;
}

function sample(): CheckpointInput {
  const parameters = initParameters(spec, 11);
  return {
    spec,
    hyperparameters: {
      ...SEED_HYPERPARAMETERS,
      optimizer: OPTIMIZER_DEFAULTS.adam,
      learningRate: 0.0012345678901234567,
      shuffle: true,
      schedule: { kind: 'cosine', tMax: 0, etaMin: 1e-6 },
    },
    parameters,
    optimizerState: { step: 1876, tensors: adamState(parameters) },
    epoch: 2,
    step: 1876,
    history: [
      {
        epoch: 1,
        trainLoss: 0.61,
        testLoss: 0.48,
        testAccuracy: 0.8312,
        seconds: 1.7,
        samplesPerSecond: 35294.1,
        learningRate: 0.00099,
      },
      {
        epoch: 2,
        trainLoss: Number.NaN,
        testLoss: Number.POSITIVE_INFINITY,
        testAccuracy: 0.1,
        seconds: 1.6,
        samplesPerSecond: 37500,
        learningRate: 0.0009,
      },
    ],
    datasetFingerprint: 'ab'.repeat(32),
    engine: 'onnx',
  };
}

const bytesOf = (t: NamedTensors) =>
  new Map([...t].map(([k, v]) => [k, { shape: v.shape, bytes: Buffer.from(v.data.buffer).toString('hex') }]));

test('a checkpoint round-trips everything exactly, optimizer state included', async () => {
  const dir = tmp();
  const path = join(dir, 'checkpoint.ckpt');
  const input = sample();
  await writeCheckpoint(path, input);
  const back = await readCheckpoint(path);
  assert.deepEqual(back.spec, input.spec);
  assert.deepEqual(back.hyperparameters, input.hyperparameters);
  assert.deepEqual(bytesOf(back.parameters), bytesOf(input.parameters));
  assert.equal(back.optimizerState.step, 1876);
  assert.deepEqual(bytesOf(back.optimizerState.tensors), bytesOf(input.optimizerState.tensors));
  assert.deepEqual([...back.optimizerState.tensors.keys()], [...input.optimizerState.tensors.keys()]);
  assert.equal(back.epoch, 2);
  assert.equal(back.step, 1876);
  assert.deepEqual(back.history, input.history, 'NaN and Infinity survive JSON');
  assert.equal(back.datasetFingerprint, input.datasetFingerprint);
  assert.equal(back.engine, 'onnx');
  assert.match(back.createdAt, /^\d{4}-\d\d-\d\dT/);
  assert.match(back.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(readdirSync(dir), ['checkpoint.ckpt']);
});

test('an SGD checkpoint without buffers round-trips, and its weights read as weights', async () => {
  const dir = tmp();
  const path = join(dir, 'c.ckpt');
  const input = { ...sample(), optimizerState: { step: 0, tensors: new Map() } };
  await writeCheckpoint(path, input);
  assert.equal((await readCheckpoint(path)).optimizerState.tensors.size, 0);
  const w = await readWeights(path);
  assert.deepEqual(bytesOf(w.parameters), bytesOf(input.parameters));
  assert.deepEqual(w.spec, spec);
});

test('bad checkpoints each give one clear line; existing files need force', async (t) => {
  const dir = tmp();
  const good = join(dir, 'good.ckpt');
  await writeCheckpoint(good, sample());
  await assert.rejects(writeCheckpoint(good, sample()), /already exists \(use --force to replace it\)/);
  await writeCheckpoint(good, sample(), { force: true });
  writeFileSync(join(dir, 'plain-file'), '');
  await assert.rejects(
    writeCheckpoint(join(dir, 'plain-file', 'c.ckpt'), sample()),
    /^UserError: cannot (write|create directory) .*plain-file/,
  );
  const weights = join(dir, 'w.safetensors');
  await writeWeights(weights, initParameters(spec, 1), spec);
  const bytes = readFileSync(good);
  const n = Number(bytes.readBigUInt64LE(0));
  const withMeta = (mutate: (checkpointJson: Record<string, any>, header: Record<string, any>) => void) => {
    const h = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
    const c = JSON.parse(h.__metadata__['fmnist_tui.checkpoint']);
    mutate(c, h);
    h.__metadata__['fmnist_tui.checkpoint'] = JSON.stringify(c);
    const json = Buffer.from(JSON.stringify(h));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    const p = join(dir, `m${Math.random()}.ckpt`);
    writeFileSync(p, Buffer.concat([len, json, bytes.subarray(8 + n)]));
    return p;
  };
  const cases: [string, string, RegExp][] = [
    ['weights, not a checkpoint', weights, /is not an fmnist-tui checkpoint \(it holds weights only/],
    [
      'truncated',
      (() => {
        const p = join(dir, 't.ckpt');
        writeFileSync(p, bytes.subarray(0, bytes.length - 1));
        return p;
      })(),
      /is truncated/,
    ],
    [
      'foreign',
      (() => {
        const p = join(dir, 'f.ckpt');
        writeFileSync(p, '{"not": "a checkpoint"}');
        return p;
      })(),
      /is not a safetensors file/,
    ],
    ['future format', withMeta((c) => (c.format = 99)), /has checkpoint format 99; this fmnist-tui .* reads format 1/],
    ['bad epoch', withMeta((c) => (c.epoch = -1)), /is a damaged checkpoint: epoch -1 is not a whole number/],
    ['unknown engine', withMeta((c) => (c.engine = 'cuda')), /damaged checkpoint: unknown engine 'cuda'/],
    // HARDEN 4: these three were "internal error: Cannot read properties of undefined" (exit 70).
    [
      'empty hyperparameters',
      withMeta((c) => (c.hyperparameters = {})),
      /damaged checkpoint: the optimizer settings are missing/,
    ],
    [
      'unknown optimizer kind',
      withMeta((c) => (c.hyperparameters.optimizer = { kind: 'lion' })),
      /damaged checkpoint: unknown optimizer kind 'lion'/,
    ],
    [
      'optimizer field missing',
      withMeta((c) => delete c.hyperparameters.optimizer.beta2),
      /damaged checkpoint: optimizer beta2 is missing or not a number/,
    ],
    [
      'null schedule',
      withMeta((c) => (c.hyperparameters.schedule = null)),
      /damaged checkpoint: the schedule is missing/,
    ],
    [
      'negative learning rate',
      withMeta((c) => (c.hyperparameters.learningRate = -1)),
      /damaged checkpoint: hyperparameters: learning rate must be a number above 0/,
    ],
    [
      'null history row',
      withMeta((c) => (c.history = [null])),
      /damaged checkpoint: history row 1 is not an epoch's metrics/,
    ],
    [
      'null spec',
      withMeta((_c, h) => (h.__metadata__['fmnist_tui.spec'] = 'null')),
      /the model spec in its metadata is not an object \(got null\)/,
    ],
    // HARDEN 18: NaN weights were loaded, and the NaN loss blamed on the learning rate.
    [
      'NaN weight',
      (() => {
        const p = join(dir, 'nan.ckpt');
        const copy = Buffer.from(bytes);
        copy.writeFloatLE(Number.NaN, 8 + n);
        writeFileSync(p, copy);
        return p;
      })(),
      /tensor '.+' holds NaN \(at index 0\); weights must be finite numbers \(the run that wrote it diverged, or the file is damaged\)/,
    ],
    [
      'optimizer buffer with the wrong shape',
      withMeta((_c, h) => {
        const k = 'optimizer/exp_avg/linear_relu_stack.3.bias';
        h[k].shape = [2, 5];
      }),
      /optimizer buffer 'exp_avg\/linear_relu_stack\.3\.bias' has shape \[2, 5\]/,
    ],
  ];
  for (const [name, path, pattern] of cases) {
    await t.test(name, () =>
      assert.rejects(readCheckpoint(path), (err: unknown) => {
        assert.ok(err instanceof UserError);
        assert.equal(err.message.split('\n').length, 1);
        assert.match(err.message, pattern);
        return true;
      }),
    );
  }
});

test('HARDEN 17: a 20,000-epoch history round-trips; per-batch detail is kept for the last 100 epochs only', async () => {
  const dir = tmp();
  const row = (epoch: number) => ({
    epoch,
    trainLoss: 1 / epoch,
    testLoss: 2 / epoch,
    testAccuracy: 0.5,
    seconds: 0.01,
    samplesPerSecond: 1e6,
    learningRate: 1e-3,
    batchLoss: Array.from({ length: 50 }, (_, i) => 1 / (epoch + i + 1)),
  });
  const history = Array.from({ length: 20_000 }, (_, i) => row(i + 1));
  const path = join(dir, 'long.ckpt');
  await writeCheckpoint(path, { ...sample(), epoch: 20_000, history });
  const bytes = readFileSync(path).length;
  // Uncompacted, the metadata alone was ~20 MB (1 kB of batch detail per epoch).
  assert.ok(bytes < 6e6, `checkpoint is ${bytes} bytes`);
  const back = await readCheckpoint(path);
  assert.equal(back.history.length, 20_000);
  assert.deepEqual(
    back.history.map((r) => r.epoch),
    history.map((r) => r.epoch),
  );
  assert.equal(back.history[0].batchLoss, undefined);
  assert.equal(back.history[19_899].batchLoss, undefined);
  assert.deepEqual(back.history[19_900].batchLoss, history[19_900].batchLoss);
  assert.deepEqual(back.history.at(-1), history.at(-1));
});
