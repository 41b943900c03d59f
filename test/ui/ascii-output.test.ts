// Issue 11 item 12: with LANG=C the whole session is ASCII, not only the images.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { asciiStream, toAscii } from '../../src/ui/ascii-output.js';
import { bar, sparkline } from '../../src/ui/components/text-plots.js';

describe('toAscii', () => {
  const cases: [string, string, string][] = [
    ['a progress bar', bar(0.52, 10), '#####.....'],
    ['a half cell rounds up', bar(0.5, 9), '#####....'],
    ['a sparkline keeps 8 levels', sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '_.,-~=*#'],
    ['marks', '✓ ready · ✗ bad', '+ ready | x bad'],
    ['the step bar', 'Data › Model', 'Data > Model'],
    ['a round border', '╭──╮\n│ab│\n╰──╯', '+--+\n|ab|\n+--+'],
    ['braille: low, high, a climb', '⣀⠉⡇', "_'|"],
    ['colour escapes pass through', '\x1b[32m✓\x1b[39m', '\x1b[32m+\x1b[39m'],
    ['anything else becomes ?', 'Ω', '?'],
  ];
  for (const [name, input, want] of cases) it(name, () => assert.equal(toAscii(input), want));

  it('one character for one (columns stay where Ink put them)', () => {
    const s = '▁▂▃▄▅▆▇█ ░▒▓ ✓✗›‹→←↑↓·…—×½Δ≤ ─│╭╮╰╯ ⠁⣿';
    assert.equal(toAscii(s).length, [...s].length);
    assert.match(toAscii(s), /^[\x20-\x7e]*$/);
  });
});

describe('asciiStream', () => {
  it('writes ASCII and keeps the stream’s size and events', async () => {
    const inner = Object.assign(new PassThrough(), { columns: 80, rows: 24, isTTY: true });
    const out = asciiStream(inner);
    assert.equal(out.columns, 80);
    assert.equal(out.isTTY, true);
    let resized = false;
    out.on('resize', () => (resized = true));
    inner.emit('resize');
    assert.ok(resized);
    out.write('█ ✓\n');
    assert.equal(String(inner.read()), '# +\n');
  });
});
