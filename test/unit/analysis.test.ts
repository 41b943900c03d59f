import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeLogits } from '../../src/core/analysis/analysis.js';
import { accuracyOf, confusionMatrix, mostConfused, perClassMetrics } from '../../src/core/analysis/confusion.js';
import { scoreLogits, topLosses } from '../../src/core/analysis/top-losses.js';
import { bar, renderClassTable } from '../../src/core/render/class-bars.js';
import { renderHeatMap } from '../../src/core/render/heat-map.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

test('confusion matrix: rows are the true class, columns the predicted (table)', () => {
  const cases: [string, number[], number[], number[][]][] = [
    [
      'all right',
      [0, 1, 2],
      [0, 1, 2],
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    ],
    [
      'one 0 taken for 2',
      [0, 0, 1],
      [2, 0, 1],
      [
        [1, 0, 1],
        [0, 1, 0],
        [0, 0, 0],
      ],
    ],
    [
      'empty',
      [],
      [],
      [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
    ],
  ];
  for (const [name, labels, predicted, expected] of cases)
    assert.deepEqual(confusionMatrix(labels, predicted, 3), expected, name);
  assert.throws(() => confusionMatrix([0, 3], [0, 1], 3), /class out of range at 1 \(true 3, predicted 1\)/);
  assert.throws(() => confusionMatrix([0], [0, 1], 3), /1 labels but 2 predictions/);
});

test('precision, recall and F1 match scikit-learn (zero_division=0), accuracy is the diagonal', () => {
  // sklearn.metrics.precision_recall_fscore_support([0,0,0,1,1,2], [0,0,1,1,0,1], zero_division=0):
  // precision [2/3, 1/3, 0], recall [2/3, 1/2, 0], f1 [2/3, 0.4, 0], support [3, 2, 1]
  const m = confusionMatrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 0, 1], 3);
  const got = perClassMetrics(m);
  const want = [
    [2 / 3, 2 / 3, 2 / 3, 3],
    [1 / 3, 1 / 2, 0.4, 2],
    [0, 0, 0, 1],
  ];
  got.forEach((g, c) => {
    close(g.precision, want[c][0]);
    close(g.recall, want[c][1]);
    close(g.f1, want[c][2]);
    assert.equal(g.support, want[c][3]);
  });
  close(accuracyOf(m), 3 / 6);
  assert.equal(accuracyOf(confusionMatrix([], [], 2)), 0);
});

test('most confused: off-diagonal cells, largest first, ties by true then predicted class', () => {
  const m = [
    [9, 4, 1],
    [4, 9, 0],
    [7, 0, 9],
  ];
  assert.deepEqual(mostConfused(m, 10), [
    { true: 2, predicted: 0, count: 7 },
    { true: 0, predicted: 1, count: 4 },
    { true: 1, predicted: 0, count: 4 },
    { true: 0, predicted: 2, count: 1 },
  ]);
  assert.deepEqual(mostConfused(m, 1), [{ true: 2, predicted: 0, count: 7 }]);
  assert.deepEqual(mostConfused(m, 10, 4).length, 3);
});

test('top losses: mistakes only, by −log p(true), with the probability of the wrong prediction', () => {
  const row = (hot: number, v: number) => Array.from({ length: 10 }, (_, j) => (j === hot ? v : 0));
  const logits = new Float32Array([...row(3, 5), ...row(1, 9), ...row(2, 2), ...row(4, 9)]);
  const labels = new Uint8Array([3, 0, 0, 0]); // image 0 right; 1, 2, 3 wrong
  const scores = scoreLogits(logits, labels, 4);
  // image 1: softmax of [0, 9, 0…]: p(true=0) = 1 / (e^9 + 9)
  close(scores.losses[1], Math.log(Math.exp(9) + 9), 1e-9);
  close(scores.probabilities[1], Math.exp(9) / (Math.exp(9) + 9), 1e-12);
  const top = topLosses(scores, labels, 2);
  assert.deepEqual(
    top.map((t) => [t.index, t.true, t.predicted]),
    [
      [1, 0, 1], // equal loss to image 3: the lower index first
      [3, 0, 4],
    ],
  );
  assert.equal(topLosses(scores, labels, 10).length, 3);
});

test('analyzeLogits gives the --json shape with class names', () => {
  const logits = new Float32Array(20);
  logits[0 * 10 + 6] = 1; // a T-shirt/top taken for a Shirt
  logits[1 * 10 + 1] = 1; // a Trouser right
  const a = analyzeLogits(logits, new Uint8Array([0, 1]), 2, { topLosses: 5 });
  assert.deepEqual(Object.keys(a), ['accuracy', 'confusion', 'perClass', 'mostConfused', 'topLosses']);
  assert.equal(a.accuracy, 0.5);
  assert.equal(a.confusion[0][6], 1);
  assert.deepEqual(a.perClass[1], { class: 'Trouser', precision: 1, recall: 1, f1: 1 });
  assert.deepEqual(a.mostConfused, [{ true: 'T-shirt/top', predicted: 'Shirt', count: 1 }]);
  assert.equal(a.topLosses[0].index, 0);
  assert.equal(a.topLosses[0].predicted, 'Shirt');
});

test('heat map: counts with shade marks without colour, ANSI backgrounds with it, ASCII under LANG=C', () => {
  const m = [
    [90, 10],
    [0, 100],
  ];
  const plain = renderHeatMap(m, { style: 'unicode', color: false, labels: ['Shirt', 'Coat'] });
  assert.deepEqual(plain, [
    'true ╲ predicted',
    '                0    1',
    '0 Shirt        90█  10▒', // 10% off the diagonal: √0.1 of the way up the ramp
    '1 Coat          0  100█',
  ]);
  const ascii = renderHeatMap(m, { style: 'ascii', color: false, labels: ['Shirt', 'Coat'] });
  assert.ok(
    ascii.every((l) => /^[\x20-\x7e]*$/.test(l)),
    ascii.join('\n'),
  );
  const coloured = renderHeatMap(m, { style: 'unicode', color: true, palette: 'truecolor', labels: ['a', 'b'] });
  assert.match(coloured[2], /\x1b\[48;2;\d+;\d+;\d+m/);
  assert.equal(coloured[2].replace(/\x1b\[[\d;]*m/g, ''), '0 a            90   10 ');
});

test('class table and bars: eighth blocks in Unicode, # in ASCII, clamped', () => {
  assert.equal(bar(0.5, 4, 'unicode'), '██');
  assert.equal(bar(0.55, 4, 'unicode'), '██▎');
  assert.equal(bar(2, 3, 'ascii'), '###');
  assert.equal(bar(Number.NaN, 3, 'ascii'), '');
  const lines = renderClassTable([{ class: 'Bag', precision: 1, recall: 0.5, f1: 2 / 3 }], {
    style: 'ascii',
    barWidth: 6,
  });
  assert.deepEqual(lines, ['class        precision  recall      F1', 'Bag              1.000   0.500   0.667 ####']);
});
