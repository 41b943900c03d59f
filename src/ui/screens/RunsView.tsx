// The Runs view (one key from any step): past runs read from their folders, a window of the list,
// the selected run's settings and notes, and the test accuracy of the marked runs, the selected
// one and this session's run overlaid in one chart.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { RunRecord } from '../../core/runs/record.js';
import { fitPath, formatDate } from '../../core/runs/format.js';
import { formatSettings } from '../../core/runs/settings.js';
import { renderCompareCharts, type ChartEpoch, type NamedHistory } from '../../core/render/run-charts.js';
import { TextLines } from '../components/TextLines.js';
import type { Theme } from '../components/theme.js';
import { formatPercent } from '../format.js';
import type { RunsViewState } from '../insight-state.js';

export interface RunsViewProps {
  readonly runs: RunsViewState;
  /** This session's run so far (overlaid when it has epochs). */
  readonly current: readonly ChartEpoch[];
  readonly columns: number;
  readonly rows: number;
  readonly theme: Theme;
  readonly charset: 'braille' | 'ascii';
  readonly color: boolean;
}

const name = (r: RunRecord) => r.dir.replace(/\/+$/, '').split('/').at(-1) ?? r.dir;

/** The overlaid chart's series: marked runs, the selected run, and this session's run. */
export function overlaySeries(runs: RunsViewState, current: readonly ChartEpoch[]) {
  const picked = [...runs.marked];
  if (!picked.includes(runs.selected) && runs.records[runs.selected]) picked.push(runs.selected);
  const series: NamedHistory[] = picked.map((i) => ({ name: name(runs.records[i]), history: runs.records[i].history }));
  if (current.length > 0) series.push({ name: 'this session', history: current });
  return series.filter((s) => s.history.length > 0);
}

export function RunsView({ runs, current, columns, rows, theme, charset, color }: RunsViewProps) {
  const listRows = rows >= 30 ? 10 : 5;
  const chartHeight = Math.max(3, Math.min(10, rows - listRows - 12));
  const chart = useMemo(() => {
    const series = overlaySeries(runs, current);
    if (series.length === 0) return [];
    // The test accuracy panel only: title + plot + axis.
    return renderCompareCharts(series, { width: columns, height: chartHeight, charset, color }).slice(
      0,
      chartHeight + 3,
    );
  }, [runs, current, columns, chartHeight, charset, color]);
  if (runs.status === 'loading') return <Text color={theme.warn}>reading the run folders…</Text>;
  if (runs.status === 'error') return <Text color={theme.bad}>✗ {runs.error} (esc closes)</Text>;
  const n = runs.records.length;
  if (n === 0)
    return (
      <Text wrap="wrap">
        No runs in {runs.root ?? 'runs'}/ yet: Save writes each run there (and so does 'fmnist-tui train --save').
      </Text>
    );
  const start = Math.max(0, Math.min(runs.selected - Math.floor(listRows / 2), n - listRows));
  const selected = runs.records[runs.selected];
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        Past runs in {runs.root}/ · {n} run{n === 1 ? '' : 's'}
      </Text>
      {runs.records.slice(start, start + listRows).map((r, k) => {
        const i = start + k;
        const mark = runs.marked.includes(i) ? (charset === 'ascii' ? '[x]' : '[●]') : '[ ]';
        const accuracy = r.finalAccuracy === undefined ? '   –  ' : formatPercent(r.finalAccuracy, 2).padStart(6);
        const line =
          `${i === runs.selected ? '>' : ' '} ${mark} ${fitPath(name(r), 22).padEnd(22)} ` +
          `${r.model.slice(0, 11).padEnd(11)} ` +
          `${String(r.epochs).padStart(3)} ep  ${accuracy}  ${r.notes.length > 0 ? 'note' : ''}`;
        return (
          <Text
            key={r.dir}
            wrap="truncate"
            inverse={i === runs.selected}
            color={r.notes.length > 0 ? theme.warn : undefined}
          >
            {line}
          </Text>
        );
      })}
      {selected ? (
        <Text wrap="truncate" color={theme.muted}>
          {formatDate(selected.date)} ·{' '}
          {selected.hyperparameters ? formatSettings(selected.settings) : 'settings unknown'}
          {selected.notes[0] ? ` · note: ${selected.notes[0]}` : ''}
        </Text>
      ) : null}
      <TextLines lines={chart} />
    </Box>
  );
}
