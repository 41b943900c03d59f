// Small pure formatters shared by screens and components.
import { formatBytes as formatDecimalBytes } from '../core/dataset/progress.js';

/** 26.4 MB, 512 kB (decimal units, as the data layer and download tools show them). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  return formatDecimalBytes(n);
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '--';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export { formatCount, formatLearningRate } from '../core/format.js';

/**
 * A loss in at most 9 characters: 0.2345 → "0.2345", 12345.6 → "1.23e+4", 7.255e24 → "7.26e+24",
 * NaN → "NaN" (a diverged run printed all 19 digits, and the line wrapped).
 */
export function formatLoss(x: number | undefined, digits = 4): string {
  if (x === undefined) return '--';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'inf' : '-inf';
  if (Math.abs(x) < 1e4) return x.toFixed(digits);
  return x.toExponential(2);
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(100 * fraction).toFixed(digits)}%`;
}

export function formatRate(samplesPerSecond: number): string {
  if (!Number.isFinite(samplesPerSecond) || samplesPerSecond <= 0) return '--';
  if (samplesPerSecond >= 10_000) return `${Math.round(samplesPerSecond / 1000)}k/s`;
  return `${Math.round(samplesPerSecond)}/s`;
}
