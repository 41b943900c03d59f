import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bar, sparkline } from '../../src/ui/components/text-plots.js';

describe('bar', () => {
  it('every fraction from 0 to 1 draws exactly `width` cells of bar glyphs (issue 11 item 1: "undefined" at ~6%)', () => {
    for (const width of [10, 17, 40])
      for (let i = 0; i <= 1000; i++) {
        const b = bar(i / 1000, width);
        assert.equal([...b].length, width, `${i / 1000} × ${width}: '${b}'`);
        assert.match(b, /^█*[▏▎▍▌▋▊▉]?░*$/u, `${i / 1000} × ${width}: '${b}'`);
      }
  });
  it('0.9999 of 10 cells rounds to a full last cell', () => assert.equal(bar(0.9999, 10), '█'.repeat(10)));
  it('half of 9 cells: 4 full, a half block, 4 empty', () => assert.equal(bar(0.5, 9), '████▌░░░░'));
  it('NaN and out-of-range fractions are clamped', () => {
    assert.equal(bar(Number.NaN, 4), '░░░░');
    assert.equal(bar(2, 4), '████');
  });
});

describe('sparkline', () => {
  it('draws one glyph per point, lowest to highest', () =>
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█'));
});
