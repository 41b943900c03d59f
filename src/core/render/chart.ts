/**
 * A chart of several series as lines of text (pure): braille lines (ASCII dots without
 * Unicode), a marker at each data point when the points are sparse enough to tell apart, y-axis
 * values, an x axis with whole-number ticks when asked, and a legend. Series are told apart by
 * their marker (● ■ ▲ ◆, or o # ^ + in ASCII) and, with colour on, by colour.
 */
import { line } from './line-plot.js';

export interface ChartSeries {
  readonly name: string;
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
}

export interface ChartOptions {
  /** Total width in characters, y labels included (at least 24). */
  readonly width: number;
  /** Rows of the plot area (at least 3); the x axis adds 2 rows, the title/legend 1. */
  readonly height: number;
  readonly charset: 'braille' | 'ascii';
  readonly color: boolean;
  /** Shown before the legend, e.g. "loss". */
  readonly title?: string;
  readonly formatY?: (y: number) => string;
  readonly formatX?: (x: number) => string;
  /** Ticks on whole numbers only (epochs). */
  readonly integerX?: boolean;
  readonly yMin?: number;
  readonly yMax?: number;
  readonly xMin?: number;
  readonly xMax?: number;
  /** Draw a marker at each point when points per column allow (default true). */
  readonly markers?: boolean;
}

export const SERIES_COLOURS = [36, 33, 35, 32, 34, 31] as const;
const MARKERS = { braille: ['●', '■', '▲', '◆', '▼', '★'], ascii: ['o', '#', '^', '+', 'v', '*'] };
const BRAILLE_BITS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];
const RESET = '\x1b[0m';

const defaultFormat = (y: number) =>
  Math.abs(y) >= 1000 || (Math.abs(y) < 0.01 && y !== 0) ? y.toExponential(1) : String(Number(y.toPrecision(3)));

/** The marker of series `i`, coloured when asked (for legends drawn elsewhere). */
export function seriesMarker(i: number, charset: 'braille' | 'ascii', color: boolean): string {
  const m = MARKERS[charset][i % MARKERS[charset].length];
  return color ? `\x1b[${SERIES_COLOURS[i % SERIES_COLOURS.length]}m${m}${RESET}` : m;
}

export function renderChart(series: readonly ChartSeries[], options: ChartOptions): string[] {
  const braille = options.charset === 'braille';
  const [cw, ch] = braille ? [2, 4] : [1, 1];
  const height = Math.max(3, Math.floor(options.height));
  const formatY = options.formatY ?? defaultFormat;
  const formatX = options.formatX ?? defaultFormat;
  const pts = series.map((s) => {
    const out: [number, number][] = [];
    for (let i = 0; i < Math.min(s.xs.length, s.ys.length); i++)
      if (Number.isFinite(s.xs[i]) && Number.isFinite(s.ys[i])) out.push([s.xs[i], s.ys[i]]);
    return out;
  });
  const all = pts.flat();
  let x0 = options.xMin ?? Math.min(...all.map((p) => p[0]));
  let x1 = options.xMax ?? Math.max(...all.map((p) => p[0]));
  let y0 = options.yMin ?? Math.min(...all.map((p) => p[1]));
  let y1 = options.yMax ?? Math.max(...all.map((p) => p[1]));
  if (!Number.isFinite(x0) || !Number.isFinite(x1)) [x0, x1] = [0, 1];
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];

  const rowsWithLabels = height >= 9 ? [0, 0.25, 0.5, 0.75, 1] : [0, 0.5, 1];
  const labelAt = new Map(rowsWithLabels.map((f) => [Math.round(f * (height - 1)), formatY(y1 - f * (y1 - y0))]));
  const labelWidth = Math.max(...[...labelAt.values()].map((l) => l.length));
  const plotWidth = Math.max(10, Math.floor(options.width) - labelWidth - 2);
  const pw = plotWidth * cw;
  const ph = height * ch;
  const px = (x: number) => Math.round(((x - x0) / (x1 - x0)) * (pw - 1));
  const py = (y: number) => Math.round(((y1 - Math.min(y1, Math.max(y0, y))) / (y1 - y0)) * (ph - 1));

  // Each cell shows the last series that passes through it; markers win over lines.
  const cells: string[][] = Array.from({ length: height }, () => Array<string>(plotWidth).fill(' '));
  const owner: number[][] = Array.from({ length: height }, () => Array<number>(plotWidth).fill(-1));
  pts.forEach((p, s) => {
    const bits = new Uint8Array(height * plotWidth);
    const set = (x: number, y: number) => {
      if (x < 0 || x >= pw || y < 0 || y >= ph) return;
      const c = Math.floor(x / cw);
      const r = Math.floor(y / ch);
      bits[r * plotWidth + c] |= braille ? BRAILLE_BITS[x % cw][y % ch] : 1;
    };
    let prev: [number, number] | undefined;
    for (const [x, y] of p) {
      const cur: [number, number] = [px(x), py(y)];
      if (prev) line(prev, cur, set);
      else set(cur[0], cur[1]);
      prev = cur;
    }
    for (let r = 0; r < height; r++)
      for (let c = 0; c < plotWidth; c++) {
        const b = bits[r * plotWidth + c];
        if (!b) continue;
        cells[r][c] = braille ? String.fromCharCode(0x2800 + b) : '.';
        owner[r][c] = s;
      }
  });
  if (options.markers !== false)
    pts.forEach((p, s) => {
      if (p.length * 2 > plotWidth) return;
      for (const [x, y] of p) {
        const c = Math.floor(px(x) / cw);
        const r = Math.floor(py(y) / ch);
        cells[r][c] = MARKERS[options.charset][s % MARKERS.braille.length];
        owner[r][c] = s;
      }
    });

  const paint = (text: string, s: number) =>
    options.color && s >= 0 ? `\x1b[${SERIES_COLOURS[s % SERIES_COLOURS.length]}m${text}${RESET}` : text;
  const out: string[] = [];
  const legend = series.map((s, i) => `${seriesMarker(i, options.charset, options.color)} ${s.name}`).join('  ');
  out.push(options.title ? `${options.title}  ${legend}` : legend);
  const vAxis = braille ? ['│', '┤'] : ['|', '+'];
  for (let r = 0; r < height; r++) {
    const label = labelAt.get(r) ?? '';
    let row = '';
    for (let c = 0; c < plotWidth; c++) {
      // Merge runs of one owner into one colour span.
      let end = c;
      while (end + 1 < plotWidth && owner[r][end + 1] === owner[r][c]) end++;
      row += paint(cells[r].slice(c, end + 1).join(''), owner[r][c]);
      c = end;
    }
    out.push(`${label.padStart(labelWidth)} ${label ? vAxis[1] : vAxis[0]}${row}`.trimEnd());
  }

  // X axis: whole-number ticks for epochs (a step that leaves room for each label), else five.
  const ticks: number[] = [];
  if (options.integerX) {
    const room = Math.max(1, Math.floor(plotWidth / 5));
    const span = Math.ceil(x1) - Math.floor(x0);
    const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000].find((s) => span / s <= room) ?? Math.ceil(span / room);
    for (let t = Math.ceil(x0 / step) * step; t <= x1 + 1e-9; t += step) ticks.push(t);
  } else for (let i = 0; i <= 4; i++) ticks.push(x0 + ((x1 - x0) * i) / 4);
  const axis = Array<string>(plotWidth).fill(braille ? '─' : '-');
  const labels = Array<string>(plotWidth + 8).fill(' ');
  let free = 0;
  for (const t of ticks) {
    const c = Math.min(plotWidth - 1, Math.floor(px(t) / cw));
    axis[c] = braille ? '┬' : '+';
    const text = formatX(t);
    const start = Math.max(free, c - Math.floor(text.length / 2));
    if (start + text.length > labels.length) continue;
    for (let k = 0; k < text.length; k++) labels[start + k] = text[k];
    free = start + text.length + 1;
  }
  const pad = ' '.repeat(labelWidth + 1);
  out.push(`${pad}${braille ? '└' : '+'}${axis.join('')}`);
  out.push(`${pad} ${labels.join('')}`.trimEnd());
  return out;
}
