import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRESETS } from '../../src/core/model/spec.js';
import { formatRunList, formatSeconds, runNames } from '../../src/core/runs/format.js';
import { summariseRun } from '../../src/core/runs/record.js';
import { differingSettings, nonDefaultSettings, runSettings } from '../../src/core/runs/settings.js';
import { OPTIMIZER_DEFAULTS, SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';

const epoch = (e: number, acc: number) => ({
  epoch: e,
  trainLoss: 1 / e,
  testLoss: 1.1 / e,
  testAccuracy: acc,
  seconds: 2,
  samplesPerSecond: 30000,
  learningRate: 0.001,
});

test('settings that differ from the defaults (table)', () => {
  const adam = { ...SEED_HYPERPARAMETERS, optimizer: OPTIMIZER_DEFAULTS.adam };
  const cases: [string, typeof SEED_HYPERPARAMETERS, [string, string][]][] = [
    ['the seed', SEED_HYPERPARAMETERS, []],
    ['epochs are not a setting here', { ...SEED_HYPERPARAMETERS, epochs: 3 }, []],
    ['adam at its defaults: just the kind', adam, [['optimizer', 'adam']]],
    [
      'adam with a beta changed, lr, shuffle',
      { ...adam, learningRate: 3e-3, shuffle: true, optimizer: { ...OPTIMIZER_DEFAULTS.adam, beta2: 0.99 } },
      [
        ['lr', '0.003'],
        ['optimizer', 'adam'],
        ['optimizer.beta2', '0.99'],
        ['shuffle', 'on'],
      ],
    ],
    [
      'a schedule with its options',
      { ...SEED_HYPERPARAMETERS, schedule: { kind: 'cosine', tMax: 0, etaMin: 0 } },
      [['schedule', 'cosine']],
    ],
    ['label smoothing 0 is not news', { ...SEED_HYPERPARAMETERS, labelSmoothing: 0 }, []],
    ['label smoothing 0.1 is', { ...SEED_HYPERPARAMETERS, labelSmoothing: 0.1 }, [['label smoothing', '0.1']]],
  ];
  for (const [name, hp, want] of cases) assert.deepEqual(nonDefaultSettings(PRESETS.seed, hp), want, name);
});

test('differing settings between runs: options only among runs that have them, epochs left out', () => {
  const a = runSettings(PRESETS.seed, { ...SEED_HYPERPARAMETERS, epochs: 2 });
  const b = runSettings(PRESETS.recommended, { ...SEED_HYPERPARAMETERS, optimizer: OPTIMIZER_DEFAULTS.adam });
  const c = runSettings(PRESETS.recommended, {
    ...SEED_HYPERPARAMETERS,
    optimizer: { ...OPTIMIZER_DEFAULTS.adam, amsgrad: true },
  });
  assert.deepEqual(differingSettings([a, b]), ['model', 'optimizer']);
  assert.deepEqual(differingSettings([a, b, c]), ['model', 'optimizer', 'optimizer.amsgrad']);
  assert.deepEqual(differingSettings([a, a]), []);
});

test('a run record from metrics.json: best and final accuracy, time, notes for an older version', () => {
  const r = summariseRun({
    dir: 'runs/a',
    date: '2026-12-02T07:20:05.000Z',
    metrics: {
      version: '0.0.9',
      spec: PRESETS.recommended,
      hyperparameters: SEED_HYPERPARAMETERS,
      history: [epoch(1, 0.8), epoch(2, 0.85), epoch(3, 0.84), { epoch: 'x' }],
    },
    currentVersion: '0.1.0',
  });
  assert.equal(r.model, 'recommended');
  assert.deepEqual(r.best, { accuracy: 0.85, epoch: 2 });
  assert.equal(r.finalAccuracy, 0.84);
  assert.equal(r.epochs, 3);
  assert.equal(r.seconds, 6);
  assert.deepEqual(r.notes, ['saved by fmnist-tui 0.0.9', '1 unreadable epoch in the history']);
  const lines = formatRunList([r]);
  assert.deepEqual(lines.slice(1), [
    'runs/a                   recommended      3  85.00% @2      84.00%  6.0s',
    '  2026-12-02 07:20 · defaults',
    '  note: saved by fmnist-tui 0.0.9',
    '  note: 1 unreadable epoch in the history',
  ]);
});

test('records never throw: junk metrics, a checkpoint only, nothing at all', () => {
  const junk = summariseRun({ dir: 'x', metrics: { spec: 'no', hyperparameters: 5, history: 'no' } });
  assert.equal(junk.model, '?');
  assert.equal(junk.epochs, 0);
  assert.deepEqual(junk.notes, ['metrics.json has no history']);
  const fromCheckpoint = summariseRun({
    dir: 'y',
    checkpoint: { spec: PRESETS.seed, hyperparameters: SEED_HYPERPARAMETERS, history: [epoch(1, 0.5)] },
    notes: ['no metrics.json'],
  });
  assert.equal(fromCheckpoint.source, 'checkpoint');
  assert.equal(fromCheckpoint.finalAccuracy, 0.5);
  const none = summariseRun({ dir: 'z', notes: ['no metrics.json'] });
  assert.equal(none.source, 'none');
  assert.match(formatRunList([none]).join('\n'), /z +\? +0  – +–  –/);
  // NaN written as a string by metrics.json survives
  const nan = summariseRun({ dir: 'n', metrics: { history: [{ ...epoch(1, 0.1), trainLoss: 'NaN' }] } });
  assert.ok(Number.isNaN(nan.history[0].trainLoss));
});

test('durations and run names', () => {
  assert.deepEqual([0, 4.25, 42, 79, 3725].map(formatSeconds), ['–', '4.3s', '42s', '1m19s', '1h02m']);
  const rec = (dir: string) => summariseRun({ dir });
  assert.deepEqual(runNames([rec('runs/a'), rec('other/b/'), rec('x/a')]), ['runs/a', 'b', 'x/a']);
});
