/**
 * A line plot as lines of text: Unicode braille (2×4 dots per cell), half blocks (1×2) or
 * plain ASCII (1×1), a y axis with three labels, an x axis (linear or log, with decade ticks),
 * and marks: a dotted vertical line at an x value with a labelled arrow under the axis.
 * Pure: no colour, no terminal access; the caller picks the charset (ASCII when the terminal
 * cannot show Unicode) and colours the lines if it likes.
 */

export type PlotCharset = 'braille' | 'block' | 'ascii';

export interface PlotMark {
  readonly x: number;
  /** Shown under the axis next to the arrow, e.g. "3.1e-3 suggested". */
  readonly label: string;
}

export interface LinePlotOptions {
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
  /** Total width in characters, axis labels included (at least 20). */
  readonly width: number;
  /** Rows of the plot area (at least 3); the x axis and marks add 2 + marks.length rows. */
  readonly height: number;
  readonly logX?: boolean;
  readonly charset?: PlotCharset;
  readonly marks?: readonly PlotMark[];
  /** Format y labels (default: 3 significant digits). */
  readonly formatY?: (y: number) => string;
  /** Format x tick labels (default: 1e-3 style on a log axis, 3 significant digits otherwise). */
  readonly formatX?: (x: number) => string;
  /** Fix the y range instead of fitting the data. */
  readonly yMin?: number;
  readonly yMax?: number;
}

const CELL: Record<PlotCharset, [number, number]> = { braille: [2, 4], block: [1, 2], ascii: [1, 1] };
// Braille dot bits by [column][row] within a cell.
const BRAILLE_BITS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];
const GLYPHS: Record<
  PlotCharset,
  { vAxis: string; tick: string; corner: string; hAxis: string; xTick: string; markLine: string; arrow: string }
> = {
  braille: { vAxis: '│', tick: '┤', corner: '└', hAxis: '─', xTick: '┬', markLine: '┊', arrow: '▲' },
  block: { vAxis: '│', tick: '┤', corner: '└', hAxis: '─', xTick: '┬', markLine: '┊', arrow: '▲' },
  ascii: { vAxis: '|', tick: '+', corner: '+', hAxis: '-', xTick: '+', markLine: ':', arrow: '^' },
};

const defaultFormatY = (y: number) =>
  Math.abs(y) >= 1000 || (Math.abs(y) < 0.01 && y !== 0) ? y.toExponential(1) : String(Number(y.toPrecision(3)));
const formatDecade = (x: number) => `1e${Math.round(Math.log10(x))}`;

export function renderLinePlot(options: LinePlotOptions): string[] {
  const charset = options.charset ?? 'braille';
  const g = GLYPHS[charset];
  const [cw, ch] = CELL[charset];
  const logX = options.logX ?? false;
  const height = Math.max(3, Math.floor(options.height));
  const formatY = options.formatY ?? defaultFormatY;
  const formatX = options.formatX ?? (logX ? formatDecade : (x: number) => String(Number(x.toPrecision(3))));
  const tx = (x: number) => (logX ? Math.log10(x) : x);

  const pts: [number, number][] = [];
  const n = Math.min(options.xs.length, options.ys.length);
  for (let i = 0; i < n; i++) {
    const x = options.xs[i];
    const y = options.ys[i];
    if (Number.isFinite(y) && Number.isFinite(x) && (!logX || x > 0)) pts.push([tx(x), y]);
  }
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = options.yMin ?? Infinity,
    y1 = options.yMax ?? -Infinity;
  for (const [x, y] of pts) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    if (options.yMin === undefined) y0 = Math.min(y0, y);
    if (options.yMax === undefined) y1 = Math.max(y1, y);
  }
  if (pts.length === 0) {
    x0 = 0;
    x1 = 1;
    y0 = 0;
    y1 = 1;
  }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) {
    y0 -= 0.5;
    y1 += 0.5;
  }

  const yLabels = [formatY(y1), formatY((y0 + y1) / 2), formatY(y0)];
  const labelWidth = Math.max(...yLabels.map((l) => l.length));
  const plotWidth = Math.max(10, Math.floor(options.width) - labelWidth - 2);
  const pw = plotWidth * cw;
  const ph = height * ch;
  const px = (x: number) => Math.round(((x - x0) / (x1 - x0)) * (pw - 1));
  const py = (y: number) => Math.round(((y1 - Math.min(y1, Math.max(y0, y))) / (y1 - y0)) * (ph - 1));

  // Rasterise the polyline (clamped to the y range) into dots.
  const dots = new Uint8Array(pw * ph);
  const set = (x: number, y: number) => {
    if (x >= 0 && x < pw && y >= 0 && y < ph) dots[y * pw + x] = 1;
  };
  let prev: [number, number] | undefined;
  for (const [x, y] of pts) {
    const cur: [number, number] = [px(x), py(y)];
    if (prev) line(prev, cur, set);
    else set(cur[0], cur[1]);
    prev = cur;
  }

  const cells: string[][] = Array.from({ length: height }, () => Array<string>(plotWidth).fill(' '));
  for (let r = 0; r < height; r++)
    for (let c = 0; c < plotWidth; c++) {
      let bits = 0;
      for (let dx = 0; dx < cw; dx++)
        for (let dy = 0; dy < ch; dy++)
          if (dots[(r * ch + dy) * pw + c * cw + dx]) bits |= charset === 'braille' ? BRAILLE_BITS[dx][dy] : 1 << dy;
      if (bits === 0) continue;
      cells[r][c] =
        charset === 'braille'
          ? String.fromCharCode(0x2800 + bits)
          : charset === 'block'
            ? ['', '▀', '▄', '█'][bits]
            : '*';
    }

  const marks = (options.marks ?? []).filter((m) => Number.isFinite(m.x) && (!logX || m.x > 0));
  const markCol = (m: PlotMark) => Math.min(plotWidth - 1, Math.max(0, Math.floor(px(tx(m.x)) / cw)));
  for (const m of marks) {
    const c = markCol(m);
    for (let r = 0; r < height; r++) if (cells[r][c] === ' ') cells[r][c] = g.markLine;
  }

  const out: string[] = [];
  const mid = Math.floor((height - 1) / 2);
  for (let r = 0; r < height; r++) {
    const label = r === 0 ? yLabels[0] : r === height - 1 ? yLabels[2] : r === mid ? yLabels[1] : '';
    out.push(`${label.padStart(labelWidth)} ${label ? g.tick : g.vAxis}${cells[r].join('')}`.trimEnd());
  }

  // X axis with ticks: decades on a log axis, five even ticks otherwise; labels that would overlap are dropped.
  const ticks: number[] = [];
  if (logX) for (let d = Math.ceil(x0 - 1e-9); d <= x1 + 1e-9; d++) ticks.push(d);
  else for (let i = 0; i <= 4; i++) ticks.push(x0 + ((x1 - x0) * i) / 4);
  const axis = Array<string>(plotWidth).fill(g.hAxis);
  const labels = Array<string>(plotWidth + 8).fill(' ');
  let free = 0;
  const step = Math.max(1, Math.ceil(ticks.length / Math.max(1, Math.floor(plotWidth / 7))));
  ticks.forEach((t, i) => {
    const c = Math.min(plotWidth - 1, Math.floor(px(t) / cw));
    axis[c] = g.xTick;
    if (i % step !== 0) return;
    const text = formatX(logX ? Math.pow(10, t) : t);
    const start = Math.max(free, c - Math.floor(text.length / 2));
    if (start + text.length > labels.length) return;
    for (let k = 0; k < text.length; k++) labels[start + k] = text[k];
    free = start + text.length + 1;
  });
  const pad = ' '.repeat(labelWidth + 1);
  out.push(`${pad}${g.corner}${axis.join('')}`);
  out.push(`${pad} ${labels.join('')}`.trimEnd());
  for (const m of marks) {
    const c = markCol(m);
    out.push(`${pad} ${' '.repeat(c)}${g.arrow} ${m.label}`.trimEnd());
  }
  return out;
}

/** Bresenham's line between two dots. */
export function line(
  [xa, ya]: [number, number],
  [xb, yb]: [number, number],
  set: (x: number, y: number) => void,
): void {
  const dx = Math.abs(xb - xa);
  const dy = -Math.abs(yb - ya);
  const sx = xa < xb ? 1 : -1;
  const sy = ya < yb ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    set(xa, ya);
    if (xa === xb && ya === yb) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      xa += sx;
    }
    if (e2 <= dx) {
      err += dx;
      ya += sy;
    }
  }
}
