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

export { formatLearningRate } from '../core/format.js';

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(100 * fraction).toFixed(digits)}%`;
}

export function formatRate(samplesPerSecond: number): string {
  if (!Number.isFinite(samplesPerSecond) || samplesPerSecond <= 0) return '--';
  if (samplesPerSecond >= 10_000) return `${Math.round(samplesPerSecond / 1000)}k/s`;
  return `${Math.round(samplesPerSecond)}/s`;
}
