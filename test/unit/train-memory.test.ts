// HARDEN 16: a model that cannot fit in memory is refused with both figures, before training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PRESETS, type ModelSpec } from '../../src/core/model/spec.js';
import { OPTIMIZER_DEFAULTS, SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';
import { machineMemoryBytes } from '../../src/io/machine-memory.js';
import { assertFitsInMemory, estimateTrainingMemory, optimizerBuffers } from '../../src/core/train/memory.js';

const big: ModelSpec = {
  hidden: Array.from({ length: 8 }, () => ({ units: 8192, activation: 'relu' as const, dropout: 0 })),
  finalActivation: 'none',
  logSoftmax: false,
};
const adam = { ...SEED_HYPERPARAMETERS, optimizer: OPTIMIZER_DEFAULTS.adam };

test('optimizer buffers per parameter follow torch.optim', () => {
  assert.equal(optimizerBuffers(SEED_HYPERPARAMETERS), 0);
  assert.equal(
    optimizerBuffers({ ...SEED_HYPERPARAMETERS, optimizer: { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9 } }),
    1,
  );
  assert.equal(optimizerBuffers(adam), 2);
  assert.equal(optimizerBuffers({ ...adam, optimizer: { ...OPTIMIZER_DEFAULTS.adam, amsgrad: true } }), 3);
});

test('8192×8 with Adam needs tens of GB and is refused on a 23 GB machine; the seed model fits in 1 GB', () => {
  const e = estimateTrainingMemory(big, adam);
  assert.equal(e.parameters, 784 * 8192 + 8192 + 7 * (8192 * 8192 + 8192) + 8192 * 10 + 10);
  assert.ok(e.bytes > 25e9 && e.bytes < 35e9, `${e.bytes}`);
  assert.throws(
    () => assertFitsInMemory(e, 23e9),
    /^UsageError: this model \(476 million parameters\) needs ~2\d\.\d GB to train, this machine has 23\.0 GB; choose fewer or smaller hidden layers/,
  );
  assertFitsInMemory(estimateTrainingMemory(PRESETS.seed, SEED_HYPERPARAMETERS), 1e9);
});

test('train refuses it at once, one line, exit 2 (it passed 14 GB RSS in 49 s before)', (t) => {
  if (machineMemoryBytes() > 28e9) return t.skip('this machine could hold it');
  const root = new URL('../../', import.meta.url).pathname;
  const hidden = Array.from({ length: 8 }, () => '8192').join(',');
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli.tsx',
      'train',
      '--data-dir',
      join(root, 'assets/fashion-mnist-sample'),
      '--hidden',
      hidden,
      '--optimizer',
      'adam',
    ],
    { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FMNIST_OFFLINE: '1' } },
  );
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr.trim().split('\n').at(-1)!,
    /^fmnist-tui: this model \(476 million parameters\) needs ~\d+\.\d GB to train, this machine has \d+\.\d GB/,
  );
});
