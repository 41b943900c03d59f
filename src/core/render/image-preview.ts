/**
 * 28×28 grey images as terminal text (pure: strings in, string out).
 *
 * - unicode + color: '▀' half blocks, foreground = upper pixel, background = lower pixel,
 *   in 24-bit grey ('truecolor') or the 256-colour grey ramp ('ansi256'): 28 columns × 14 rows.
 * - unicode, no color: shade blocks ' ░▒▓█', each cell the mean of two pixel rows: 28 × 14.
 * - ascii: the ramp ' .:-=+*#%@' the same way: 28 × 14.
 * Terminal cells are about twice as tall as wide, so 28 × 14 cells look square.
 * A grid narrower than 28 columns draws images at half size (14 × 7).
 */
import { IMAGE_SIZE, PIXELS } from '../dataset/types.js';

export interface PreviewItem {
  /** 784 grey levels, row-major, 0 = background (black), 255 = ink. */
  readonly pixels: Uint8Array;
  /** Text under the image; '\n' separates lines; each line is cut to the image width. */
  readonly caption: string;
  /** Colours the caption (green/red) when colour is on; without colour, prefixes '✓ '/'✗ ' (ascii: '+ '/'x '). */
  readonly tone?: 'good' | 'bad';
}

export type RenderStyleName = 'unicode' | 'ascii';
export type Palette = 'truecolor' | 'ansi256';

export interface RenderOptions {
  /** 'unicode' half/shade blocks, or 'ascii' for terminals without UTF-8. */
  readonly style: RenderStyleName;
  /** Emit ANSI colour (grey levels, caption tones). Ignored for 'ascii' pixels, which are plain text. */
  readonly color: boolean;
  /** Terminal columns available: decides how many images fit side by side. */
  readonly width: number;
  /** Grey levels in 24-bit colour or the 256-colour ramp. Default 'truecolor'. */
  readonly palette?: Palette;
  /** Columns between images. Default 2. */
  readonly gap?: number;
}

/** What detectRenderStyle found out about a terminal. */
export interface RenderStyle {
  readonly style: RenderStyleName;
  readonly color: boolean;
  readonly palette: Palette;
}

export const UNICODE_SHADES = ' ░▒▓█';
export const ASCII_RAMP = ' .:-=+*#%@';
const RESET = '\x1b[0m';

/** Map 0..255 to one of `ramp`'s characters (0 → first, 255 → last). */
function shade(value: number, ramp: string): string {
  return ramp[Math.min(ramp.length - 1, Math.floor((value * ramp.length) / 256))];
}

/** Nearest 256-colour grey: 16 (black), 232..255 (24-step ramp 8..238), 231 (white). */
export function ansi256Grey(v: number): number {
  if (v < 4) return 16;
  if (v > 246) return 231;
  return 232 + Math.min(23, Math.max(0, Math.round((v - 8) / 10)));
}

function fg(v: number, palette: Palette): string {
  return palette === 'truecolor' ? `\x1b[38;2;${v};${v};${v}m` : `\x1b[38;5;${ansi256Grey(v)}m`;
}
function bg(v: number, palette: Palette): string {
  return palette === 'truecolor' ? `\x1b[48;2;${v};${v};${v}m` : `\x1b[48;5;${ansi256Grey(v)}m`;
}

/** Downsample 28×28 to size×size by averaging blocks (size divides 28). */
function resample(pixels: Uint8Array, size: number): Uint8Array {
  if (size === IMAGE_SIZE) return pixels;
  const f = IMAGE_SIZE / size;
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let s = 0;
      for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) s += pixels[(y * f + dy) * IMAGE_SIZE + x * f + dx];
      out[y * size + x] = Math.round(s / (f * f));
    }
  return out;
}

/** One image as `size / 2` lines of exactly `size` visible columns. */
export function renderImage(
  pixels: Uint8Array,
  options: Pick<RenderOptions, 'style' | 'color' | 'palette'> & { size?: 28 | 14 },
): string[] {
  if (pixels.length !== PIXELS) throw new RangeError(`renderImage: expected ${PIXELS} pixels, got ${pixels.length}`);
  const size = options.size ?? IMAGE_SIZE;
  const px = resample(pixels, size);
  const palette = options.palette ?? 'truecolor';
  const lines: string[] = [];
  for (let y = 0; y < size; y += 2) {
    let line = '';
    let lastFg = '';
    let lastBg = '';
    for (let x = 0; x < size; x++) {
      const top = px[y * size + x];
      const bottom = px[(y + 1) * size + x];
      if (options.style === 'unicode' && options.color) {
        // Only emit a colour when it changes: a 28-cell line stays a few hundred bytes.
        const f = fg(top, palette);
        const b = bg(bottom, palette);
        if (f !== lastFg) line += f;
        if (b !== lastBg) line += b;
        line += '▀';
        lastFg = f;
        lastBg = b;
      } else line += shade((top + bottom) >> 1, options.style === 'unicode' ? UNICODE_SHADES : ASCII_RAMP);
    }
    lines.push(options.style === 'unicode' && options.color ? line + RESET : line);
  }
  return lines;
}

/** Visible width of plain text (captions are expected to be plain: code points, no wide glyphs). */
function visibleLength(s: string): number {
  return [...s].length;
}

function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  return chars.slice(0, Math.max(0, width - 1)).join('') + (width > 0 ? '…' : '');
}

/**
 * Images side by side, as many per row as `width` allows, captions under each.
 * Returns lines joined by '\n' (no trailing newline); '' for no items.
 * Every line is at most `width` visible columns (at least one image per row).
 */
export function renderImageGrid(items: readonly PreviewItem[], options: RenderOptions): string {
  if (items.length === 0) return '';
  const gap = options.gap ?? 2;
  const size: 28 | 14 = options.width >= IMAGE_SIZE ? 28 : 14;
  const perRow = Math.max(1, Math.floor((options.width + gap) / (size + gap)));
  const ascii = options.style === 'ascii';
  const mark = (tone: PreviewItem['tone']) =>
    options.color || !tone ? '' : tone === 'good' ? (ascii ? '+ ' : '✓ ') : ascii ? 'x ' : '✗ ';
  const paint = (text: string, tone: PreviewItem['tone']) =>
    options.color && tone ? `${tone === 'good' ? '\x1b[32m' : '\x1b[31m'}${text}${RESET}` : text;
  const spacer = ' '.repeat(gap);
  const out: string[] = [];
  for (let start = 0; start < items.length; start += perRow) {
    const row = items.slice(start, start + perRow);
    const images = row.map((it) => renderImage(it.pixels, { ...options, size }));
    for (let l = 0; l < images[0].length; l++)
      out.push(
        images
          .map((im) => im[l])
          .join(spacer)
          .trimEnd(),
      );
    const captions = row.map((it) =>
      it.caption.split('\n').map((line, i) => (i === 0 ? mark(it.tone) : '') + (ascii ? toAscii(line) : line)),
    );
    const height = Math.max(...captions.map((c) => c.length));
    for (let l = 0; l < height; l++) {
      out.push(
        row
          .map((it, i) => {
            const text = captions[i][l] ?? '';
            return paint(fit(text, size), visibleLength(text) > 0 ? it.tone : undefined);
          })
          .join(spacer)
          .replace(/ +$/, ''),
      );
    }
    if (start + perRow < items.length) out.push('');
  }
  return out.join('\n');
}

/** ASCII terminals: replace typographic characters a caption may contain. */
function toAscii(text: string): string {
  return text
    .replace(/[✓✔]/g, '+')
    .replace(/[✗✘×]/g, 'x')
    .replace(/…/g, '...')
    .replace(/[–—]/g, '-')
    .replace(/[^\x20-\x7e]/g, '?');
}

/**
 * How to draw on `stream` given `env`:
 * - colour: off when NO_COLOR is non-empty, TERM=dumb, or the stream is not a TTY;
 *   FORCE_COLOR=1/2/3 turns it on (0 turns it off) regardless;
 * - unicode unless TERM=dumb or the locale (LC_ALL, then LC_CTYPE, then LANG) is set and not UTF-8
 *   (an unset locale counts as UTF-8, as Ink and most CLIs assume);
 * - palette: 'truecolor' when COLORTERM says truecolor/24bit, else 'ansi256'.
 */
export function detectRenderStyle(env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): RenderStyle {
  const dumb = env.TERM === 'dumb';
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  const utf8 = locale === '' || /utf-?8/i.test(locale);
  let color = Boolean(stream.isTTY) && !dumb;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') color = force !== '0' && force !== 'false';
  if (env.NO_COLOR) color = false;
  const palette: Palette = /^(truecolor|24bit)$/i.test(env.COLORTERM ?? '') ? 'truecolor' : 'ansi256';
  return { style: !dumb && utf8 ? 'unicode' : 'ascii', color, palette };
}
