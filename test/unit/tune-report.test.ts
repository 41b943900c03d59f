import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLearningRate } from '../../src/core/format.js';
import { renderTrialTable, trainCommand, trainFlags, type TrialState } from '../../src/core/tune/report.js';
import type { TrialConfig } from '../../src/core/tune/search-space.js';

const config: TrialConfig = {
  id: 3,
  preset: 'recommended',
  hidden: [512, 512],
  optimizer: 'adam',
  learningRate: 0.0012,
  batchSize: 64,
};

test('learning rates print short and exact', () => {
  const cases: [number, string][] = [
    [0.001, '1e-3'],
    [0.0012, '1.2e-3'],
    [0.031, '0.031'],
    [0.5, '0.5'],
    [3e-5, '3e-5'],
    [10, '10'],
    [0, '0'],
    [0.00123456, '1.23456e-3'],
  ];
  for (const [lr, text] of cases) {
    assert.equal(formatLearningRate(lr), text);
    assert.equal(Number(text), lr);
  }
});

test('the best trial becomes `fmnist-tui train` flags', () => {
  assert.equal(
    trainCommand(config, { epochs: 10, seed: 0 }),
    'fmnist-tui train --preset recommended --optimizer adam --lr 1.2e-3 --batch-size 64 --shuffle --epochs 10 --seed 0',
  );
  assert.deepEqual(trainFlags({ ...config, hidden: [256] }, { epochs: 5, seed: 2 }).slice(0, 4), [
    '--preset',
    'recommended',
    '--hidden',
    '256',
  ]);
});

test('the trial table aligns its columns and shows — for missing figures', () => {
  const rows: TrialState[] = [
    { id: 3, config, status: 'done', epochs: 3, testAccuracy: 0.877, testLoss: 0.35, seconds: 4.25 },
    {
      id: 1,
      config: { ...config, id: 1, preset: 'seed', optimizer: 'sgd', learningRate: 0.1, batchSize: 256 },
      status: 'pending',
      epochs: 0,
      seconds: 0,
    },
  ];
  const lines = renderTrialTable(rows);
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^#  model +optim +lr  batch  epoch  accuracy +loss +time  status$/);
  assert.match(lines[1], /^3  recommended {2}adam .* 1\.2e-3 .* 64 .* 3 .* 87\.7% .* 0\.3500 .* 4\.3s {2}done$/);
  assert.match(lines[2], /—/);
  const at = (line: string, word: string) => line.indexOf(word) + word.length;
  assert.equal(at(lines[0], 'accuracy'), at(lines[1], '87.7%'));
});
