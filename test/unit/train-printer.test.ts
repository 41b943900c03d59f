import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, formatInt } from '../../src/headless/python-format.js';
import { seedLines, jsonLine } from '../../src/headless/seed-lines.js';
import { printTraining } from '../../src/headless/printer.js';
import type { TrainingEvent } from '../../src/core/train/events.js';

test("formatFixed matches Python's format() (values checked with CPython 3)", () => {
  // [x, precision, width, Python's f'{x:>{width}.{precision}f}']
  const cases: [number, number, number, string][] = [
    [2.302317, 6, 7, '2.302317'],
    [2.3023165, 6, 7, '2.302316'], // binary value just below the tie
    [0.5, 6, 7, '0.500000'],
    [0.5, 6, 8, '0.500000'],
    [12.5, 6, 8, '12.500000'],
    [NaN, 6, 7, '    nan'],
    [Infinity, 6, 8, '     inf'],
    [-Infinity, 6, 8, '    -inf'],
    [0.125, 2, 0, '0.12'], // exact tie: half to even (JS toFixed says 0.13)
    [0.375, 2, 0, '0.38'],
    [2.5, 0, 0, '2'],
    [3.5, 0, 0, '4'],
    [45.25, 1, 0, '45.2'],
    [45.35, 1, 0, '45.4'],
    [45.15, 1, 0, '45.1'],
    [59.95, 1, 0, '60.0'],
    [100, 1, 0, '100.0'],
    [5e-7, 6, 0, '0.000000'],
    [1.5e-6, 6, 0, '0.000002'],
    [-1e-9, 6, 0, '-0.000000'],
    [-0, 6, 0, '-0.000000'],
    [12345678.9, 6, 0, '12345678.900000'],
  ];
  for (const [x, p, w, expected] of cases) assert.equal(formatFixed(x, p, w), expected, `${x} .${p}f width ${w}`);
});

test("formatInt is Python's {n:>5d}", () => {
  const cases: [number, number, string][] = [
    [0, 5, '    0'],
    [6400, 5, ' 6400'],
    [57600, 5, '57600'],
    [123456, 5, '123456'],
  ];
  for (const [n, w, expected] of cases) assert.equal(formatInt(n, w), expected);
});

const batchEnd = (batch: number, loss: number, count = 64, trainSize = 60000): TrainingEvent => ({
  type: 'batchEnd',
  epoch: 1,
  batch,
  step: batch,
  loss,
  samplesSeen: Math.min((batch + 1) * 64, trainSize),
  count,
  trainSize,
  learningRate: 1e-3,
});
const epochEnd = (testAccuracy: number, testLoss: number): TrainingEvent => ({
  type: 'epochEnd',
  epochs: 10,
  epoch: 1,
  trainLoss: 2.2,
  testLoss,
  testAccuracy,
  seconds: 1.5,
  samplesPerSecond: 40000,
  learningRate: 1e-3,
});
const trainEnd = (reason: 'completed' | 'stopped' | 'aborted'): TrainingEvent => ({
  type: 'trainEnd',
  reason,
  epochsCompleted: 1,
  at: { epoch: 2, batch: 0 },
  seconds: 2,
  history: [],
});

test("seedLines prints the seed's lines exactly", () => {
  const cases: [TrainingEvent, string][] = [
    [{ type: 'epochBegin', epoch: 1, epochs: 10 }, 'Epoch 1\n-------------------------------\n'],
    [batchEnd(0, Math.fround(2.302317)), 'loss: 2.302317  [    0/60000]\n'],
    [batchEnd(100, 2.2885234), 'loss: 2.288523  [ 6400/60000]\n'],
    [batchEnd(900, 0.5), 'loss: 0.500000  [57600/60000]\n'],
    [batchEnd(99, 2.2), ''],
    [batchEnd(101, 2.2), ''],
    [batchEnd(0, 2.31, 64, 6000), 'loss: 2.310000  [    0/ 6000]\n'],
    [batchEnd(100, 1.2, 32, 6432), 'loss: 1.200000  [ 3200/ 6432]\n'], // a partial batch: batch * len(X)
    [epochEnd(0.452, 2.153141), 'Test Error: \n Accuracy: 45.2%, Avg loss: 2.153141 \n\n'],
    [epochEnd(0.7125, 0.8), 'Test Error: \n Accuracy: 71.2%, Avg loss: 0.800000 \n\n'],
    [epochEnd(1, 12.25), 'Test Error: \n Accuracy: 100.0%, Avg loss: 12.250000 \n\n'],
    [trainEnd('completed'), 'Done!\n'],
    [trainEnd('stopped'), 'Done!\n'],
    [trainEnd('aborted'), ''],
    [{ type: 'paused', at: { epoch: 1, batch: 3 } }, ''],
  ];
  for (const [event, expected] of cases) assert.equal(seedLines(event), expected, JSON.stringify(event));
});

test('--json prints one parseable object per event; non-finite numbers become null', () => {
  const line = jsonLine(batchEnd(0, NaN));
  assert.ok(line.endsWith('\n'));
  assert.equal(line.trimEnd().split('\n').length, 1);
  const parsed = JSON.parse(line);
  assert.equal(parsed.type, 'batchEnd');
  assert.equal(parsed.loss, null);
});

test('printTraining writes the stream and resolves with its final event', async () => {
  async function* stream(): AsyncGenerator<TrainingEvent> {
    yield { type: 'epochBegin', epoch: 1, epochs: 1 };
    yield batchEnd(0, 2.5);
    yield epochEnd(0.5, 2);
    yield trainEnd('completed');
  }
  let out = '';
  const final = await printTraining(stream(), { json: false, write: (t) => (out += t) });
  assert.equal(
    out,
    'Epoch 1\n-------------------------------\nloss: 2.500000  [    0/60000]\nTest Error: \n Accuracy: 50.0%, Avg loss: 2.000000 \n\nDone!\n',
  );
  assert.equal(final?.type, 'trainEnd');
  let json = '';
  await printTraining(stream(), { json: true, write: (t) => (json += t) });
  assert.deepEqual(
    json
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).type),
    ['epochBegin', 'batchEnd', 'epochEnd', 'trainEnd'],
  );
});

test('in seed mode an error is left to the caller (stderr); in --json it is a line', async () => {
  async function* stream(): AsyncGenerator<TrainingEvent> {
    yield { type: 'error', message: 'the loss became NaN', at: { epoch: 1, batch: 3 } };
  }
  let out = '';
  const final = await printTraining(stream(), { json: false, write: (t) => (out += t) });
  assert.equal(out, '');
  assert.equal(final?.type, 'error');
  out = '';
  await printTraining(stream(), { json: true, write: (t) => (out += t) });
  assert.equal(JSON.parse(out).message, 'the loss became NaN');
});
