import { Box, Text } from 'ink';
import { STEPS, STEP_TITLES, type StepId } from '../state.js';
import type { Theme } from './theme.js';

export interface StepBarProps {
  readonly current: StepId;
  readonly width: number;
  readonly theme: Theme;
}

const PREFIX = 'fmnist-tui ';
const titles = (short: boolean) =>
  STEPS.map((s) => (short && s === 'hyperparameters' ? 'Hyperparams' : STEP_TITLES[s]));
const barWidth = (names: string[]) => names.join(' › ').length + 2;

/** Data › Model › Hyperparameters › … with the current step highlighted; shorter when narrow. */
export function StepBar({ current, width, theme }: StepBarProps) {
  const at = STEPS.indexOf(current);
  const full = titles(false);
  const prefix = width >= barWidth(full) + PREFIX.length;
  const names = prefix || width >= barWidth(full) ? full : titles(true);
  if (!prefix && width < barWidth(names)) {
    const next = STEPS[at + 1];
    return (
      <Text wrap="truncate">
        <Text color={theme.muted}>
          step {at + 1}/{STEPS.length}{' '}
        </Text>
        <Text inverse bold color={theme.accent}>
          {` ${STEP_TITLES[current]} `}
        </Text>
        {next ? <Text color={theme.muted}> › {STEP_TITLES[next]}</Text> : null}
      </Text>
    );
  }
  return (
    <Box>
      {prefix ? (
        <Text bold color={theme.accent}>
          {PREFIX}
        </Text>
      ) : null}
      {STEPS.map((s, i) => (
        <Text key={s} wrap="truncate">
          {i > 0 ? <Text color={theme.muted}> › </Text> : null}
          {i === at ? (
            <Text inverse bold color={theme.accent}>
              {` ${names[i]} `}
            </Text>
          ) : (
            <Text dimColor={i > at} color={i < at ? theme.good : undefined}>
              {names[i]}
            </Text>
          )}
        </Text>
      ))}
    </Box>
  );
}
