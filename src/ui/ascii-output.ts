// The session in a terminal whose locale is not UTF-8 (LANG=C, POSIX, Latin-1): every character
// the screens draw beyond ASCII — bars, sparklines, ✓ ✗ › ·, box borders, the braille plot —
// becomes one ASCII character. One character for one keeps every column where Ink put it (its
// layout measured the Unicode text), so nothing shifts. Applied to the output stream, it also
// covers views added later without each having to remember.

const SINGLE: Record<string, string> = {
  // bars (ProgressBar) and shades
  '█': '#',
  '░': '.',
  '▒': ':',
  '▓': '%',
  '▏': '.',
  '▎': '.',
  '▍': '.',
  '▌': '#',
  '▋': '#',
  '▊': '#',
  '▉': '#',
  // sparkline levels, lowest to highest
  '▁': '_',
  '▂': '.',
  '▃': ',',
  '▄': '-',
  '▅': '~',
  '▆': '=',
  '▇': '*',
  // marks and arrows
  '✓': '+',
  '✔': '+',
  '✗': 'x',
  '✘': 'x',
  '›': '>',
  '‹': '<',
  '→': '>',
  '←': '<',
  '↑': '^',
  '↓': 'v',
  '·': '|',
  '•': '*',
  '…': '.',
  '—': '-',
  '–': '-',
  '×': 'x',
  '½': '/',
  Δ: 'd',
  '≤': '<',
  '≥': '>',
  '±': '+',
  µ: 'u',
  '°': 'o',
  '●': 'o',
  '■': '#',
  '▲': '^',
  '◆': '+',
  '▼': 'v',
  '★': '*',
  // box drawing (Ink's round and single borders) → Ink's "classic" style
  '─': '-',
  '│': '|',
  '╭': '+',
  '╮': '+',
  '╰': '+',
  '╯': '+',
  '┌': '+',
  '┐': '+',
  '└': '+',
  '┘': '+',
  '├': '+',
  '┤': '+',
  '┬': '+',
  '┴': '+',
  '┼': '+',
  '═': '=',
  '║': '|',
  '╔': '+',
  '╗': '+',
  '╚': '+',
  '╝': '+',
};

/** Braille cell bits by row (top to bottom): dots 1,4 · 2,5 · 3,6 · 7,8. */
const BRAILLE_ROWS = [0x01 | 0x08, 0x02 | 0x10, 0x04 | 0x20, 0x40 | 0x80];
const BRAILLE_BY_ROW = ["'", '-', '.', '_'];

/** A braille plot cell as the ASCII mark nearest its dots: a line's height, or | where it climbs. */
function braille(code: number): string {
  const bits = code - 0x2800;
  const rows = BRAILLE_ROWS.map((mask, i) => ((bits & mask) !== 0 ? i : -1)).filter((i) => i >= 0);
  if (rows.length === 0) return ' ';
  if (rows[rows.length - 1] - rows[0] >= 2) return '|';
  return BRAILLE_BY_ROW[Math.round(rows.reduce((a, b) => a + b, 0) / rows.length)];
}

/** `text` with each non-ASCII character replaced by one ASCII character (escape sequences kept). */
export function toAscii(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) out += ch;
    else if (code >= 0x2800 && code <= 0x28ff) out += braille(code);
    else out += SINGLE[ch] ?? '?';
  }
  return out;
}

/** The same stream, with everything written through it made ASCII (see toAscii). */
export function asciiStream<T extends NodeJS.WritableStream>(stream: T): T {
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write')
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...a: unknown[]) => boolean)(typeof chunk === 'string' ? toAscii(chunk) : chunk, ...rest);
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
