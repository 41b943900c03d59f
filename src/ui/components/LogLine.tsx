// One row of the epoch log kept in <Static>: a run's header, an epoch, or a note.
import { Box, Text } from 'ink';
import type { LogEntry } from '../state.js';
import { EPOCH_HEADER, EpochRow } from './EpochRow.js';
import type { Theme } from './theme.js';

export function LogLine({ entry, theme, best }: { entry: LogEntry; theme: Theme; best: boolean }) {
  if (entry.kind === 'runHeader')
    return (
      <Box flexDirection="column">
        <Text bold color={theme.accent} wrap="truncate">
          {entry.text}
        </Text>
        <Text color={theme.muted} wrap="truncate">
          {EPOCH_HEADER}
        </Text>
      </Box>
    );
  if (entry.kind === 'epoch')
    return <EpochRow metrics={entry.metrics} epochs={entry.epochs} best={best} theme={theme} />;
  return (
    <Text color={theme.muted} wrap="truncate">
      {entry.text}
    </Text>
  );
}

/**
 * Epoch rows that beat every earlier epoch of their run (shown in green): by the loop's best epoch
 * (the monitored held-out metric, validation when there is a split) when the row has it, else by test accuracy.
 */
export function bestEpochIds(log: readonly LogEntry[]): Set<string> {
  let bestSoFar = -1;
  const ids = new Set<string>();
  for (const e of log) {
    if (e.kind === 'runHeader') bestSoFar = -1;
    const marked = e.kind === 'epoch' ? (e.metrics as { bestEpoch?: number }).bestEpoch : undefined;
    if (marked !== undefined) {
      if (e.kind === 'epoch' && marked === e.metrics.epoch) ids.add(e.id);
      continue;
    }
    if (e.kind === 'epoch' && e.metrics.testAccuracy > bestSoFar) {
      bestSoFar = e.metrics.testAccuracy;
      ids.add(e.id);
    }
  }
  return ids;
}
