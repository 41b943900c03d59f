/** Run history as text and JSON (pure): the `runs` listing, `runs show` and `runs compare`. */
import { describeModel } from '../model/spec.js';
import { renderBatchLossChart, renderCompareCharts, renderEpochCharts, type ChartStyle } from '../render/run-charts.js';
import type { RunRecord } from './record.js';
import { differingSettings, formatSettings, runSettings } from './settings.js';

const percent = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(2)}%`);

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s <= 0) return '–';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** "2026-12-02 07:20" in UTC (what the run folders' names use). */
export const formatDate = (iso?: string) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : 'unknown date');

/** Keep the end of a long path: "…/2026-12-02T07-20-05". */
export function fitPath(path: string, width: number): string {
  return path.length <= width ? path : `…${path.slice(path.length - width + 1)}`;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function runJson(r: RunRecord) {
  return {
    dir: r.dir,
    date: r.date ?? null,
    version: r.version ?? null,
    model: r.model,
    settings: Object.fromEntries(r.settings),
    epochs: r.epochs,
    bestAccuracy: r.best?.accuracy ?? null,
    bestEpoch: r.best?.epoch ?? null,
    finalAccuracy: r.finalAccuracy ?? null,
    seconds: r.seconds,
    source: r.source,
    notes: r.notes,
  };
}

/** The `runs` listing: one row per run, then its date and settings, then any notes. */
export function formatRunList(runs: readonly RunRecord[], ascii = false): string[] {
  const dot = ascii ? '-' : '·';
  const lines = [`${'run'.padEnd(24)} ${'model'.padEnd(11)} epochs  ${'best'.padEnd(13)} ${'final'.padStart(7)}  time`];
  for (const r of runs) {
    const best = r.best ? `${percent(r.best.accuracy)} @${r.best.epoch}` : '–';
    lines.push(
      `${fitPath(r.dir, 24).padEnd(24)} ${cut(r.model, 11).padEnd(11)} ${String(r.epochs).padStart(6)}  ` +
        `${best.padEnd(13)} ${percent(r.finalAccuracy).padStart(7)}  ${formatSeconds(r.seconds)}`,
    );
    lines.push(`  ${formatDate(r.date)} ${dot} ${r.hyperparameters ? formatSettings(r.settings) : 'settings unknown'}`);
    for (const n of r.notes) lines.push(`  note: ${n}`);
  }
  return lines;
}

/** `runs show`: what the run was, its epochs as a table, and its charts. */
export function formatRunDetail(r: RunRecord, style: ChartStyle): string[] {
  const lines = [
    `Run ${r.dir}, saved ${formatDate(r.date)}${r.version ? ` by fmnist-tui ${r.version}` : ''}`,
    `model: ${r.spec ? safeDescribe(r) : r.model}`,
    `settings: ${r.hyperparameters ? formatSettings(r.settings) : 'unknown'}`,
    ...r.notes.map((n) => `note: ${n}`),
  ];
  if (r.history.length === 0) return [...lines, 'no finished epochs'];
  lines.push('', 'epoch   train loss   test loss   test acc     time');
  for (const h of r.history)
    lines.push(
      `${String(h.epoch).padStart(5)}   ${h.trainLoss.toFixed(6).padStart(10)}  ` +
        `${h.testLoss.toFixed(6).padStart(10)}  ${percent(h.testAccuracy).padStart(9)}  ` +
        `${formatSeconds(h.seconds).padStart(7)}`,
    );
  lines.push(
    '',
    ...renderEpochCharts(r.history, style),
    '',
    ...renderBatchLossChart(r.history, { ...style, height: Math.max(3, style.height - 2) }),
  );
  return lines;
}

function safeDescribe(r: RunRecord): string {
  try {
    return describeModel(r.spec!);
  } catch {
    return r.model;
  }
}

/** Short unique names for runs in legends and table headers: the last path part, or more when two share it. */
export function runNames(runs: readonly RunRecord[]): string[] {
  const last = runs.map((r) => r.dir.replace(/\/+$/, '').split('/').at(-1) ?? r.dir);
  return last.map((n, i) => (last.indexOf(n) !== last.lastIndexOf(n) ? runs[i].dir : n));
}

/** `runs compare`: the runs overlaid, then a table of the settings that differ and the results. */
export function formatRunComparison(runs: readonly RunRecord[], style: ChartStyle): string[] {
  const names = runNames(runs);
  const settings = runs.map((r) => runSettings(r.spec, r.hyperparameters));
  const differing = differingSettings(settings);
  const labelWidth = Math.max(12, ...differing.map((d) => d.length));
  const col = Math.max(10, Math.floor((style.width - labelWidth - 1) / runs.length) - 1);
  const row = (label: string, cells: string[]) =>
    `${label.padEnd(labelWidth)} ${cells.map((c) => cut(c, col).padEnd(col)).join(' ')}`.trimEnd();
  const lines = [
    ...renderCompareCharts(
      runs.map((r, i) => ({ name: names[i], history: r.history })),
      style,
    ),
    '',
    row('', names),
  ];
  for (const d of differing)
    lines.push(
      row(
        d,
        settings.map((s) => s.get(d) ?? '–'),
      ),
    );
  if (differing.length === 0) lines.push('(the same settings)');
  lines.push(
    row(
      'epochs',
      runs.map((r) => String(r.epochs)),
    ),
  );
  lines.push(
    row(
      'best',
      runs.map((r) => (r.best ? `${percent(r.best.accuracy)} @${r.best.epoch}` : '–')),
    ),
  );
  lines.push(
    row(
      'final',
      runs.map((r) => percent(r.finalAccuracy)),
    ),
  );
  lines.push(
    row(
      'time',
      runs.map((r) => formatSeconds(r.seconds)),
    ),
  );
  for (const [i, r] of runs.entries()) for (const n of r.notes) lines.push(`note: ${names[i]}: ${n}`);
  return lines;
}
