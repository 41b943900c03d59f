/**
 * The charts of a run's history (pure text): loss per epoch (train, test, val), accuracy per
 * epoch (test, val), the whole run's batch loss, and several runs overlaid. Used by the Train
 * step, `runs show` and `runs compare`.
 */
import { downsample, runBatchLoss } from '../analysis/downsample.js';
import { renderChart, type ChartSeries } from './chart.js';

/** The fields of a history entry the charts read (EpochMetrics, plus the val split where a run has one). */
export interface ChartEpoch {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
  readonly batchLoss?: readonly number[];
}

export interface ChartStyle {
  readonly width: number;
  /** Plot rows of each chart. */
  readonly height: number;
  readonly charset: 'braille' | 'ascii';
  readonly color: boolean;
}

const ANSI = /\x1b\[[\d;]*m/g;
const visible = (s: string) => [...s.replace(ANSI, '')].length;
const percent = (y: number) => `${Number(y.toFixed(1))}%`;
const epochLabel = (x: number) => String(Math.round(x));

/** Two blocks of lines side by side, the left padded to `leftWidth` visible columns. */
export function sideBySide(left: readonly string[], right: readonly string[], leftWidth: number, gap = 2): string[] {
  const n = Math.max(left.length, right.length);
  return Array.from({ length: n }, (_, i) => {
    const l = left[i] ?? '';
    return `${l}${' '.repeat(Math.max(0, leftWidth - visible(l)) + gap)}${right[i] ?? ''}`.trimEnd();
  });
}

function series(history: readonly ChartEpoch[], name: string, pick: (h: ChartEpoch) => number | undefined) {
  const rows = history.filter((h) => typeof pick(h) === 'number' && Number.isFinite(pick(h)));
  return rows.length === 0 ? undefined : { name, xs: rows.map((h) => h.epoch), ys: rows.map((h) => pick(h)!) };
}

const present = (s: (ChartSeries | undefined)[]) => s.filter((x): x is ChartSeries => x !== undefined);

/** Loss per epoch (train, test, val) and accuracy per epoch (test, val): side by side when wide enough. */
export function renderEpochCharts(history: readonly ChartEpoch[], style: ChartStyle): string[] {
  const xMax = Math.max(1, ...history.map((h) => h.epoch));
  const common = {
    ...style,
    integerX: true,
    xMin: history.length > 1 ? Math.min(...history.map((h) => h.epoch)) : 0,
    xMax,
  };
  const loss = present([
    series(history, 'train loss', (h) => h.trainLoss),
    series(history, 'test loss', (h) => h.testLoss),
    series(history, 'val loss', (h) => h.valLoss),
  ]);
  const accuracy = present([
    series(history, 'test acc', (h) => 100 * h.testAccuracy),
    series(history, 'val acc', (h) => (h.valAccuracy === undefined ? undefined : 100 * h.valAccuracy)),
  ]);
  const together = style.width >= 72;
  const panelWidth = together ? Math.floor((style.width - 2) / 2) : style.width;
  const left = renderChart(loss, { ...common, width: panelWidth, title: 'loss/epoch' });
  const right = renderChart(accuracy, { ...common, width: panelWidth, title: 'accuracy/epoch', formatY: percent });
  return together ? sideBySide(left, right, panelWidth) : [...left, ...right];
}

/** The whole run's batch loss (bucket means, downsampled again to the plot's resolution) against epoch. */
export function renderBatchLossChart(history: readonly ChartEpoch[], style: ChartStyle): string[] {
  const { xs, ys } = runBatchLoss(history);
  const points = Math.max(10, (style.width - 8) * (style.charset === 'braille' ? 2 : 1));
  const stride = Math.max(1, Math.ceil(xs.length / points));
  const dx = downsample(xs, Math.ceil(xs.length / stride));
  const dy = downsample(ys, Math.ceil(ys.length / stride));
  const last = Math.max(1, ...history.map((h) => h.epoch));
  const lines = renderChart([{ name: 'batch loss over the whole run', xs: dx, ys: dy }], {
    ...style,
    integerX: true,
    xMin: 0,
    xMax: last,
    markers: false,
    formatX: epochLabel,
  });
  return xs.length === 0 ? [lines[0], '  (no batch losses saved in this run)'] : lines;
}

export interface NamedHistory {
  readonly name: string;
  readonly history: readonly ChartEpoch[];
}

/** Several runs' test accuracy and test loss per epoch, one series per run. */
export function renderCompareCharts(runs: readonly NamedHistory[], style: ChartStyle): string[] {
  const xMax = Math.max(1, ...runs.flatMap((r) => r.history.map((h) => h.epoch)));
  const common = { ...style, integerX: true, xMin: 1, xMax, formatX: epochLabel };
  const pick = (f: (h: ChartEpoch) => number) => present(runs.map((r) => series(r.history, r.name, f)));
  return [
    ...renderChart(
      pick((h) => 100 * h.testAccuracy),
      { ...common, title: 'test accuracy', formatY: percent },
    ),
    ...renderChart(
      pick((h) => h.testLoss),
      { ...common, title: 'test loss' },
    ),
  ];
}
