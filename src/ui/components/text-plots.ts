// Text drawing shared by the prop-only components: bars and sparklines as plain strings.

const BLOCKS = '▁▂▃▄▅▆▇█';
/** The edge cell of a bar, by eighths (0: none). */
const PARTIALS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `width` cells, the first `fraction` of them full (eighths for the edge). */
export function bar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const w = Math.max(1, Math.floor(width));
  // Rounded once, in eighths: rounding the edge apart from the full cells gave 8/8, one past the table.
  const eighths = Math.round(f * w * 8);
  const full = Math.floor(eighths / 8);
  const edge = PARTIALS[eighths % 8] ?? '';
  return '█'.repeat(full) + edge + '░'.repeat(w - full - edge.length);
}

/** Mean of each of `width` buckets of `values` (the last bucket ends at the newest value). */
export function bucket(values: readonly number[], width: number): number[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length <= width) return [...finite];
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const a = Math.floor((i * finite.length) / width);
    const b = Math.max(a + 1, Math.floor(((i + 1) * finite.length) / width));
    let s = 0;
    for (let j = a; j < b; j++) s += finite[j];
    out.push(s / (b - a));
  }
  return out;
}

/** A one-line sparkline; `range` fixes the scale (shared by the raw and smoothed lines). */
export function sparkline(values: readonly number[], width: number, range?: { min: number; max: number }): string {
  const pts = bucket(values, Math.max(1, width));
  if (pts.length === 0) return '';
  const min = range?.min ?? Math.min(...pts);
  const max = range?.max ?? Math.max(...pts);
  const span = max - min;
  return pts
    .map((v) => {
      if (span <= 0) return BLOCKS[3];
      const i = Math.round(((v - min) / span) * (BLOCKS.length - 1));
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, i))];
    })
    .join('');
}
