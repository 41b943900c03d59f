import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ansi256Grey,
  ASCII_RAMP,
  detectRenderStyle,
  renderImage,
  renderImageGrid,
  UNICODE_SHADES,
} from '../../src/core/render/image-preview.js';

// A horizontal gradient: column x has grey level ~ x * 9.4 (0 … 255).
const gradient = Uint8Array.from({ length: 784 }, (_, i) => Math.round(((i % 28) * 255) / 27));
const black = new Uint8Array(784);
const white = new Uint8Array(784).fill(255);
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const visible = (s: string) => [...strip(s)].length;

test('ascii: 28 columns × 14 rows, the ramp from dark to light, caption underneath', () => {
  const out = renderImageGrid([{ pixels: gradient, caption: 'Bag' }], { style: 'ascii', color: false, width: 80 });
  const lines = out.split('\n');
  assert.equal(lines.length, 15);
  assert.equal(lines[0][0], ' ');
  assert.equal(lines[0].at(-1), ASCII_RAMP.at(-1));
  assert.equal(lines[0].length, 28);
  assert.match(lines[0], /^[ .:\-=+*#%@]+$/);
  assert.equal(lines[14], 'Bag');
  assert.equal(out.includes('\x1b'), false);
});

test('unicode without colour uses shade blocks and no escape codes', () => {
  const lines = renderImage(gradient, { style: 'unicode', color: false });
  assert.equal(lines.length, 14);
  assert.equal(lines[0].at(-1), '█');
  for (const l of lines) assert.match(l, new RegExp(`^[${UNICODE_SHADES}]{28}$`));
});

test('unicode with colour: half blocks with 24-bit or 256-colour greys, reset at line end', () => {
  const [line] = renderImage(white, { style: 'unicode', color: true, palette: 'truecolor' });
  assert.match(line, /^\x1b\[38;2;255;255;255m\x1b\[48;2;255;255;255m▀{28}\x1b\[0m$/);
  const [dark] = renderImage(black, { style: 'unicode', color: true, palette: 'ansi256' });
  assert.match(dark, /^\x1b\[38;5;16m\x1b\[48;5;16m▀{28}\x1b\[0m$/);
  assert.deepEqual([0, 8, 128, 238, 255].map(ansi256Grey), [16, 232, 244, 255, 231]);
});

test('images sit side by side as far as the width allows; each line fits the width', () => {
  const items = Array.from({ length: 5 }, (_, i) => ({ pixels: gradient, caption: `#${i} Ankle boot` }));
  for (const width of [28, 57, 58, 100, 200]) {
    const perRow = Math.max(1, Math.floor((width + 2) / 30));
    const out = renderImageGrid(items, { style: 'unicode', color: true, width });
    const lines = out.split('\n');
    for (const l of lines) assert.ok(visible(l) <= Math.max(width, 28), `width ${width}: '${strip(l)}'`);
    const captionLine = lines.find((l) => strip(l).startsWith('#0'))!;
    assert.equal((strip(captionLine).match(/#\d/g) ?? []).length, Math.min(5, perRow), `width ${width}`);
  }
});

test('a grid narrower than one image draws at half size (14 × 7)', () => {
  const lines = renderImageGrid([{ pixels: gradient, caption: 'Sneaker, long caption' }], {
    style: 'ascii',
    color: false,
    width: 20,
  }).split('\n');
  assert.equal(lines.length, 8);
  assert.equal(lines[0].length, 14);
  assert.equal(lines[7], 'Sneaker, long…');
});

test('captions: several lines, tones as colour or as marks, ascii-safe', () => {
  const items = [
    { pixels: black, caption: 'true: Bag\npred: Bag', tone: 'good' as const },
    { pixels: black, caption: 'true: Coat\npred: Shirt…', tone: 'bad' as const },
  ];
  const plain = renderImageGrid(items, { style: 'unicode', color: false, width: 80 }).split('\n');
  assert.match(plain.at(-2)!, /^✓ true: Bag +✗ true: Coat$/);
  assert.match(plain.at(-1)!, /^pred: Bag +pred: Shirt…$/);
  const ascii = renderImageGrid(items, { style: 'ascii', color: false, width: 80 }).split('\n');
  assert.match(ascii.at(-2)!, /^\+ true: Bag +x true: Coat$/);
  assert.match(ascii.at(-1)!, /pred: Shirt\.\.\.$/);
  const coloured = renderImageGrid(items, { style: 'unicode', color: true, width: 80 });
  assert.match(coloured, /\x1b\[32mtrue: Bag/);
  assert.match(coloured, /\x1b\[31mtrue: Coat/);
  assert.equal(renderImageGrid([], { style: 'ascii', color: false, width: 80 }), '');
  assert.throws(() => renderImage(new Uint8Array(10), { style: 'ascii', color: false }), /expected 784 pixels, got 10/);
});

test('detectRenderStyle honours NO_COLOR, TERM=dumb, the locale, TTY-ness and COLORTERM', () => {
  const tty = { isTTY: true };
  const cases: [NodeJS.ProcessEnv, { isTTY?: boolean }, ReturnType<typeof detectRenderStyle>][] = [
    [{ LANG: 'en_US.UTF-8' }, tty, { style: 'unicode', color: true, palette: 'ansi256' }],
    [{ LANG: 'en_US.UTF-8', COLORTERM: 'truecolor' }, tty, { style: 'unicode', color: true, palette: 'truecolor' }],
    [{ LANG: 'en_US.UTF-8', NO_COLOR: '1' }, tty, { style: 'unicode', color: false, palette: 'ansi256' }],
    [{ LANG: 'en_US.UTF-8', NO_COLOR: '' }, tty, { style: 'unicode', color: true, palette: 'ansi256' }],
    [{ LANG: 'en_US.UTF-8', TERM: 'dumb' }, tty, { style: 'ascii', color: false, palette: 'ansi256' }],
    [{ LANG: 'C' }, tty, { style: 'ascii', color: true, palette: 'ansi256' }],
    [{ LANG: 'en_US.UTF-8', LC_ALL: 'POSIX' }, tty, { style: 'ascii', color: true, palette: 'ansi256' }],
    [{ LC_CTYPE: 'de_DE.utf8' }, tty, { style: 'unicode', color: true, palette: 'ansi256' }],
    [{}, tty, { style: 'unicode', color: true, palette: 'ansi256' }],
    [{ LANG: 'en_US.UTF-8' }, { isTTY: false }, { style: 'unicode', color: false, palette: 'ansi256' }],
    [{ LANG: 'en_US.UTF-8', FORCE_COLOR: '1' }, {}, { style: 'unicode', color: true, palette: 'ansi256' }],
    [{ LANG: 'en_US.UTF-8', FORCE_COLOR: '0' }, tty, { style: 'unicode', color: false, palette: 'ansi256' }],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, tty, { style: 'unicode', color: false, palette: 'ansi256' }],
  ];
  for (const [env, stream, expected] of cases)
    assert.deepEqual(detectRenderStyle(env, stream), expected, JSON.stringify(env));
});
