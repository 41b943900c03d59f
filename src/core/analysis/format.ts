/** The analysis as terminal text (pure): accuracy, heat map, per-class table, most confused. */
import { CLASS_NAMES } from '../dataset/types.js';
import { renderClassTable } from '../render/class-bars.js';
import { renderHeatMap } from '../render/heat-map.js';
import type { Palette, RenderStyleName } from '../render/image-preview.js';
import { total } from './confusion.js';
import type { ModelAnalysis } from './analysis.js';

export interface TextStyle {
  readonly style: RenderStyleName;
  readonly color: boolean;
  readonly palette?: Palette;
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
const count = (n: number) => n.toLocaleString('en-US');

export function formatAccuracy(a: ModelAnalysis): string {
  const n = total(a.confusion);
  const right = a.confusion.reduce((s, row, i) => s + row[i], 0);
  return `Accuracy ${percent(a.accuracy)} (${count(right)} of ${count(n)} test images)`;
}

export function formatMostConfused(a: ModelAnalysis, limit: number, style: RenderStyleName): string[] {
  const arrow = style === 'ascii' ? '->' : '→';
  const width = Math.max(0, ...a.mostConfused.slice(0, limit).map((p) => p.true.length));
  return a.mostConfused
    .slice(0, limit)
    .map((p) => `  ${p.true.padEnd(width)} ${arrow} ${p.predicted.padEnd(11)} ${String(p.count).padStart(5)}`);
}

/** Everything but the image gallery, for `analyze` (the gallery is drawn by the caller). */
export function formatAnalysis(a: ModelAnalysis, style: TextStyle): string[] {
  return [
    formatAccuracy(a),
    '',
    'Confusion matrix: rows are the true class, columns the predicted class',
    ...renderHeatMap(a.confusion, { ...style, labels: CLASS_NAMES }),
    '',
    ...renderClassTable(a.perClass, { style: style.style }),
    '',
    'Most confused (true → predicted, images)'.replace('→', style.style === 'ascii' ? '->' : '→'),
    ...formatMostConfused(a, 10, style.style),
  ];
}
