/**
 * Per-class precision / recall / F1 as a table with a bar for F1 (pure text). Bars use
 * eighth blocks in Unicode and '#' in ASCII.
 */
import type { RenderStyleName } from './image-preview.js';

export interface ClassRow {
  readonly class: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `fraction` × `width` cells (fraction clamped to 0..1). */
export function bar(fraction: number, width: number, style: RenderStyleName): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  if (style === 'ascii') return '#'.repeat(Math.round(f * width));
  const eighths = Math.round(f * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

const fixed = (x: number) => x.toFixed(3);

export function renderClassTable(
  rows: readonly ClassRow[],
  options: { style: RenderStyleName; barWidth?: number; labelWidth?: number },
): string[] {
  const labelWidth = options.labelWidth ?? 12;
  const barWidth = options.barWidth ?? 20;
  const lines = [`${'class'.padEnd(labelWidth)} precision  recall      F1`];
  for (const r of rows)
    lines.push(
      (
        `${r.class.slice(0, labelWidth).padEnd(labelWidth)} ${fixed(r.precision).padStart(9)} ` +
        `${fixed(r.recall).padStart(7)} ${fixed(r.f1).padStart(7)} ${bar(r.f1, barWidth, options.style)}`
      ).trimEnd(),
    );
  return lines;
}
