import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderLinePlot } from '../../src/core/render/line-plot.js';

const xs = Array.from({ length: 50 }, (_, i) => 10 ** (-6 + (7 * i) / 49));
const ys = xs.map((x) => 2 + Math.log10(x) ** 2 / 10);

test('every charset gives height + axis rows within the width, ASCII only in ASCII mode', () => {
  for (const charset of ['braille', 'block', 'ascii'] as const) {
    const lines = renderLinePlot({
      xs,
      ys,
      width: 60,
      height: 8,
      logX: true,
      charset,
      marks: [{ x: 1e-3, label: 'suggested 1e-3' }],
    });
    assert.equal(lines.length, 8 + 2 + 1, charset);
    for (const l of lines) assert.ok([...l].length <= 60, `${charset}: ${l}`);
    if (charset === 'ascii') for (const l of lines) assert.match(l, /^[\x20-\x7e]*$/);
    if (charset === 'braille') assert.ok(lines.some((l) => /[\u2801-\u28ff]/.test(l)));
  }
});

test('the curve is where the data is: lowest in the middle, decade labels on a log axis', () => {
  const lines = renderLinePlot({ xs, ys, width: 60, height: 8, logX: true, charset: 'ascii' });
  const bottom = lines[7];
  const top = lines[0];
  const stars = (l: string) => [...l].flatMap((c, i) => (c === '*' ? [i] : []));
  // The minimum (x = 1) is at the right of the middle; the ends are at the top.
  assert.ok(stars(bottom).length > 0 && stars(top).length > 0);
  assert.ok(Math.min(...stars(top)) < Math.min(...stars(bottom)));
  assert.match(lines[9], /1e-6 .*1e-4 .*1e-2 .*1e0/);
  assert.match(lines[0], /^5\.6 \+/); // ys max = 2 + (−6)²/10
});

test('a mark draws a dotted column and an arrow under the same column', () => {
  const lines = renderLinePlot({
    xs,
    ys,
    width: 60,
    height: 6,
    logX: true,
    charset: 'ascii',
    marks: [{ x: 1e-3, label: 'here' }],
  });
  const arrow = lines.at(-1)!;
  const col = arrow.indexOf('^');
  assert.match(arrow, /\^ here$/);
  assert.ok(lines.slice(0, 6).filter((l) => l[col] === ':').length >= 4, lines.join('\n'));
});

test('non-finite points are skipped and an empty plot still draws axes', () => {
  const lines = renderLinePlot({ xs: [1, 2, 3], ys: [NaN, Infinity, NaN], width: 30, height: 3, charset: 'ascii' });
  assert.equal(lines.length, 5);
  assert.ok(!lines.join('').includes('*'));
});
