import { Text } from 'ink';
import type { Theme } from './theme.js';

export interface KeyHintsProps {
  /** [key label, what it does] pairs, most important first. */
  readonly hints: readonly (readonly [string, string])[];
  readonly theme: Theme;
}

/** One line of "key what · key what", cut at the terminal's edge. */
export function KeyHints({ hints, theme }: KeyHintsProps) {
  return (
    <Text wrap="truncate" color={theme.muted}>
      {hints.map(([k, what], i) => (
        <Text key={k + what}>
          {i > 0 ? ' · ' : ''}
          <Text bold color={theme.accent}>
            {k}
          </Text>{' '}
          {what}
        </Text>
      ))}
    </Text>
  );
}
