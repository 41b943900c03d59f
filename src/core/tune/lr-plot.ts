import { renderLinePlot, type PlotCharset } from '../render/line-plot.js';
import type { LearningRateSuggestion } from './lr-range.js';
import { formatLearningRate } from '../format.js';

/** What the plot needs from a finder result (LrFinderResult has all of it). */
export interface LrCurve {
  readonly learningRates: readonly number[];
  readonly smoothedLosses: readonly number[];
  readonly suggestion?: LearningRateSuggestion;
}

/** A suggested learning rate rounded for people: 2 significant digits. */
export function roundSuggestion(lr: number): number {
  return Number(lr.toPrecision(2));
}

/**
 * The range test's plot: smoothed loss against learning rate on a log axis, the suggestion
 * marked. The diverging tail is clipped at the starting loss so the useful part fills the height.
 */
export function renderLrFinderPlot(
  curve: LrCurve,
  options: { width: number; height?: number; charset?: PlotCharset },
): string[] {
  const ys = curve.smoothedLosses;
  let iMin = 0;
  for (let i = 1; i < ys.length; i++) if (ys[i] < ys[iMin]) iMin = i;
  const head = ys.slice(0, iMin + 1).filter(Number.isFinite);
  const yMax = head.length > 0 ? Math.max(...head) * 1.05 : undefined;
  const s = curve.suggestion;
  const marks = s
    ? [{ x: s.learningRate, label: `${formatLearningRate(roundSuggestion(s.learningRate))} suggested` }]
    : [];
  return renderLinePlot({
    xs: curve.learningRates,
    ys,
    width: options.width,
    height: options.height ?? 14,
    logX: true,
    charset: options.charset,
    marks,
    yMax,
  });
}

/** One line on how the suggestion was chosen, e.g. "the smoothed loss is lowest at 0.018; a tenth of that". */
export function explainSuggestion(s: LearningRateSuggestion): string {
  return s.method === 'minimum/10'
    ? `the smoothed loss is lowest at ${formatLearningRate(roundSuggestion(s.minimum.learningRate))}; a tenth of that`
    : 'where the smoothed loss falls fastest (it never turned up)';
}
