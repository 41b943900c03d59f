/** Axes, grid, lines and legend of an SVG line chart panel (pure). */
import { svgText, type GlyphFont } from './svg-text.js';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface SvgSeries {
  readonly name: string;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  readonly color: string;
  readonly dashed?: boolean;
  /** A dot at each point (for per-epoch series). */
  readonly markers?: boolean;
}

export interface PanelOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly formatY?: (y: number) => string;
  readonly integerX?: boolean;
  readonly xMin?: number;
  readonly xMax?: number;
  /** Where the legend sits inside the frame (default top right; bottom right for rising curves). */
  readonly legend?: 'top' | 'bottom';
}

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const n = (x: number) => Number(x.toFixed(2));

/** About `count` round tick values covering [min, max] (1, 2, 5 × 10^k steps). */
export function niceTicks(min: number, max: number, count = 5, integer = false): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  if (integer) step = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step - 1e-9) * step; t <= max + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const defaultFormat = (y: number) => String(Number(y.toPrecision(4)));

export function linePanel(font: GlyphFont, box: Box, series: readonly SvgSeries[], options: PanelOptions): string {
  const all = series
    .flatMap((s) => s.xs.map((x, i) => [x, s.ys[i]] as const))
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  let x0 = options.xMin ?? Math.min(...all.map((p) => p[0]));
  let x1 = options.xMax ?? Math.max(...all.map((p) => p[0]));
  let y0 = Math.min(...all.map((p) => p[1]));
  let y1 = Math.max(...all.map((p) => p[1]));
  if (!Number.isFinite(x0) || !Number.isFinite(x1)) [x0, x1] = [0, 1];
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  if (x1 === x0) x1 = x0 + 1;
  const pad = (y1 - y0) * 0.06 || 0.5;
  y0 -= pad;
  y1 += pad;
  const px = (x: number) => box.x + ((x - x0) / (x1 - x0)) * box.w;
  const py = (y: number) => box.y + box.h - ((y - y0) / (y1 - y0)) * box.h;
  const format = options.formatY ?? defaultFormat;
  const parts: string[] = [
    `<rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" fill="#fff" stroke="#999"/>`,
  ];
  for (const t of niceTicks(y0, y1, 5)) {
    parts.push(`<line x1="${box.x}" x2="${box.x + box.w}" y1="${n(py(t))}" y2="${n(py(t))}" stroke="#e5e5e5"/>`);
    parts.push(svgText(font, format(t), box.x - 6, py(t) + 4, { size: 12, anchor: 'end', fill: '#444' }));
  }
  for (const t of niceTicks(x0, x1, Math.min(10, Math.max(2, Math.floor(box.w / 60))), options.integerX)) {
    parts.push(
      `<line x1="${n(px(t))}" x2="${n(px(t))}" y1="${box.y + box.h}" y2="${box.y + box.h + 5}" stroke="#999"/>`,
    );
    parts.push(
      svgText(font, defaultFormat(t), px(t), box.y + box.h + 19, { size: 12, anchor: 'middle', fill: '#444' }),
    );
  }
  parts.push(
    svgText(font, options.xLabel, box.x + box.w / 2, box.y + box.h + 38, { size: 13, anchor: 'middle', fill: '#444' }),
  );
  parts.push(svgText(font, options.title, box.x, box.y - 10, { size: 15, fill: '#111' }));
  parts.push(
    `<clipPath id="c${n(box.x)}_${n(box.y)}"><rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}"/></clipPath>`,
  );
  for (const s of series) {
    const pts = s.xs.map((x, i) => [x, s.ys[i]] as const).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length === 0) continue;
    const d = pts.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${n(px(x))} ${n(py(y))}`).join('');
    parts.push(
      `<path clip-path="url(#c${n(box.x)}_${n(box.y)})" d="${d}" fill="none" stroke="${s.color}" stroke-width="2"` +
        `${s.dashed ? ' stroke-dasharray="6 4"' : ''} stroke-linejoin="round"/>`,
    );
    if (s.markers)
      for (const [x, y] of pts) parts.push(`<circle cx="${n(px(x))}" cy="${n(py(y))}" r="3" fill="${s.color}"/>`);
  }
  // Legend, top right inside the frame.
  const rows = series.filter((s) => s.xs.length > 0);
  const legendWidth = Math.max(0, ...rows.map((s) => 30 + s.name.length * 12 * 0.6));
  rows.forEach((s, i) => {
    const ly = options.legend === 'bottom' ? box.y + box.h - 10 - 18 * (rows.length - 1 - i) : box.y + 16 + 18 * i;
    const lx = box.x + box.w - legendWidth - 8;
    parts.push(
      `<line x1="${n(lx)}" x2="${n(lx + 22)}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    parts.push(svgText(font, s.name, lx + 28, ly, { size: 12, fill: '#222' }));
  });
  return parts.join('\n');
}
