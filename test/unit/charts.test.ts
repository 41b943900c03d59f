import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BucketMeans, downsample, runBatchLoss } from '../../src/core/analysis/downsample.js';
import { renderChart } from '../../src/core/render/chart.js';
import { renderBatchLossChart, renderCompareCharts, renderEpochCharts } from '../../src/core/render/run-charts.js';

const strip = (s: string) => s.replace(/\x1b\[[\d;]*m/g, '');
const history = [1, 2, 3, 4].map((epoch) => ({
  epoch,
  trainLoss: 1 / epoch,
  testLoss: 1.2 / epoch,
  testAccuracy: 0.6 + 0.05 * epoch,
  batchLoss: [2 / epoch, 1.5 / epoch, 1 / epoch],
}));

test('bucket means: near-equal consecutive buckets, one value at a time (table)', () => {
  const cases: [string, number[], number, number[]][] = [
    ['fewer values than buckets', [1, 2, 3], 5, [1, 2, 3]],
    ['10 values in 4 buckets', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4, [2, 4.5, 7, 9.5]],
    ['one bucket', [1, 2, 3, 6], 1, [3]],
    ['nothing', [], 3, []],
  ];
  for (const [name, values, buckets, want] of cases) {
    const b = new BucketMeans(values.length, buckets);
    for (const v of values) b.add(v);
    assert.deepEqual(b.values(), want, name);
  }
  assert.deepEqual(downsample([1, 3, 5, 7], 2), [2, 6]);
  assert.deepEqual(new BucketMeans(1).values(), [], 'nothing seen yet');
});

test('the run batch-loss line puts bucket k of epoch E at E − 1 + (k + ½)/n; epochs without it add nothing', () => {
  const { xs, ys } = runBatchLoss([{ epoch: 1, batchLoss: [3, 1] }, { epoch: 2 }, { epoch: 3, batchLoss: [0.5] }]);
  assert.deepEqual(xs, [0.25, 0.75, 2.5]);
  assert.deepEqual(ys, [3, 1, 0.5]);
});

test('a chart has a legend, y values at the top and bottom, whole-number x ticks and a marker per point', () => {
  const lines = renderChart(
    [
      { name: 'up', xs: [1, 2, 3], ys: [0, 1, 2] },
      { name: 'flat', xs: [1, 2, 3], ys: [1, 1, 1] },
    ],
    { width: 30, height: 5, charset: 'ascii', color: false, integerX: true },
  );
  assert.deepEqual(lines, [
    'o up  # flat',
    '2 +                       ...o',
    '  |                 ......',
    '1 +#............#............#', // where the two cross, the later series' marker wins
    '  |    ......',
    '0 +o...',
    '  ++------------+------------+',
    '   1            2            3',
  ]);
  for (const l of lines) assert.ok(l.length <= 30, l);
});

test('with colour each series has its colour; nothing else changes', () => {
  const s = [{ name: 'a', xs: [0, 1], ys: [0, 1] }];
  const plain = renderChart(s, { width: 24, height: 3, charset: 'braille', color: false });
  const coloured = renderChart(s, { width: 24, height: 3, charset: 'braille', color: true });
  assert.match(coloured[1], /\x1b\[36m/);
  assert.deepEqual(coloured.map(strip), plain);
});

test('epoch charts: loss and accuracy side by side at 80 columns, stacked when narrow, never wider', () => {
  const wide = renderEpochCharts(history, { width: 80, height: 6, charset: 'braille', color: false });
  assert.match(wide[0], /^loss\/epoch {2}● train loss {2}■ test loss +accuracy\/epoch {2}● test acc$/);
  assert.match(wide[1], /^ {0,2}1\.2 ┤.* 80% ┤/);
  assert.equal(wide.length, 1 + 6 + 2);
  for (const l of wide) assert.ok([...l].length <= 80, `${[...l].length}: ${l}`);
  const narrow = renderEpochCharts(history, { width: 50, height: 4, charset: 'ascii', color: false });
  assert.equal(narrow.length, 2 * (1 + 4 + 2));
  assert.match(narrow[7], /^accuracy\/epoch {2}o test acc$/);
  const withVal = renderEpochCharts(
    history.map((h) => ({ ...h, valAccuracy: h.testAccuracy - 0.01, valLoss: h.testLoss })),
    { width: 80, height: 6, charset: 'ascii', color: false },
  );
  assert.match(withVal[0], /\^ val loss .* # val acc$/);
});

test('batch-loss chart spans the whole run; a run without batch losses says so', () => {
  const lines = renderBatchLossChart(history, { width: 60, height: 4, charset: 'ascii', color: false });
  assert.equal(lines[0], 'o batch loss over the whole run');
  assert.match(lines[1], /^ *2 \+ *\./);
  assert.match(lines.at(-1)!, /^ +0 .*4$/);
  const old = renderBatchLossChart(
    history.map(({ batchLoss: _, ...h }) => h),
    { width: 60, height: 4, charset: 'ascii', color: false },
  );
  assert.deepEqual(old.slice(1), ['  (no batch losses saved in this run)']);
});

test('compare charts: one series per run in test accuracy and test loss', () => {
  const lines = renderCompareCharts(
    [
      { name: 'runs/a', history },
      { name: 'runs/b', history: history.slice(0, 2) },
    ],
    { width: 60, height: 4, charset: 'ascii', color: false },
  );
  assert.equal(lines[0], 'test accuracy  o runs/a  # runs/b');
  assert.ok(lines.includes('test loss  o runs/a  # runs/b'));
});
