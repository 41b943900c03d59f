/**
 * A confusion matrix as terminal text (pure): one row per true class, one column per predicted
 * class, each cell its count on a shaded background — green on the diagonal, red off it, darker
 * for a larger share of the row. Without colour each count is followed by a shade character
 * (' ░▒▓█', or ' .:-=+*#%@' in ASCII) so the hot cells still stand out; under NO_COLOR or a
 * non-UTF-8 locale the output is plain ASCII.
 */
import type { ConfusionMatrix } from '../analysis/confusion.js';
import { ansi256Grey, ASCII_RAMP, UNICODE_SHADES, type Palette, type RenderStyleName } from './image-preview.js';

export interface HeatMapOptions {
  readonly style: RenderStyleName;
  readonly color: boolean;
  readonly palette?: Palette;
  /** Row labels (the class names); columns are headed by their index. */
  readonly labels: readonly string[];
  /** Widest row label (longer labels are cut). Default 13. */
  readonly labelWidth?: number;
}

const RESET = '\x1b[0m';

/** Background RGB for a cell: white → green on the diagonal, white → red elsewhere, by share of the row. */
export function cellColour(share: number, diagonal: boolean): [number, number, number] {
  const s = Math.min(1, Math.max(0, share));
  // Off-diagonal shares are small: a square root makes 5% visible and 30% loud.
  const t = diagonal ? s : Math.sqrt(s);
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return diagonal ? [mix(245, 20), mix(245, 120), mix(245, 50)] : [mix(245, 190), mix(245, 20), mix(245, 30)];
}

function background([r, g, b]: [number, number, number], palette: Palette): string {
  if (palette === 'truecolor') return `\x1b[48;2;${r};${g};${b}m`;
  if (r === g && g === b) return `\x1b[48;5;${ansi256Grey(r)}m`;
  const q = (v: number) => Math.round((v / 255) * 5);
  return `\x1b[48;5;${16 + 36 * q(r) + 6 * q(g) + q(b)}m`;
}

const luminance = ([r, g, b]: [number, number, number]) => 0.299 * r + 0.587 * g + 0.114 * b;

export function renderHeatMap(m: ConfusionMatrix, options: HeatMapOptions): string[] {
  const n = m.length;
  const labelWidth = options.labelWidth ?? 13;
  const ascii = options.style === 'ascii';
  const ramp = ascii ? ASCII_RAMP : UNICODE_SHADES;
  const digits = Math.max(3, ...m.flat().map((c) => String(c).length));
  const cellWidth = digits + 2;
  const rowLabel = (i: number) => {
    const name = options.labels[i] ?? String(i);
    const text = `${i} ${name}`;
    return (text.length > labelWidth ? text.slice(0, labelWidth) : text).padEnd(labelWidth);
  };
  const lines: string[] = [];
  lines.push(`${'true ╲ predicted'.padEnd(labelWidth)}`.replace('╲', ascii ? '\\' : '╲').trimEnd());
  lines.push(
    `${' '.repeat(labelWidth)}${Array.from({ length: n }, (_, j) => String(j).padStart(cellWidth - 1) + ' ').join('')}`.trimEnd(),
  );
  for (let i = 0; i < n; i++) {
    const rowTotal = m[i].reduce((a, b) => a + b, 0);
    let line = rowLabel(i);
    for (let j = 0; j < n; j++) {
      const count = m[i][j];
      const share = rowTotal === 0 ? 0 : count / rowTotal;
      if (options.color) {
        const rgb = cellColour(share, i === j);
        const fg = luminance(rgb) < 140 ? '\x1b[97m' : '\x1b[30m';
        line += `${background(rgb, options.palette ?? 'ansi256')}${fg}${String(count).padStart(cellWidth - 1)} ${RESET}`;
      } else {
        const t = i === j ? share : Math.sqrt(share);
        const level = count === 0 ? 0 : Math.max(1, Math.min(ramp.length - 1, Math.ceil(t * (ramp.length - 1))));
        line += String(count).padStart(cellWidth - 1) + ramp[level];
      }
    }
    lines.push(options.color ? line : line.trimEnd());
  }
  return lines;
}
