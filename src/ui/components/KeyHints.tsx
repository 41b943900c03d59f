import { Text } from 'ink';
import { fitHints, type Hint } from '../hints.js';
import type { Theme } from './theme.js';

export interface KeyHintsProps {
  /** [key label, what it does] pairs, most important first. */
  readonly hints: readonly Hint[];
  /** The terminal's width: hints that do not fit are left out (the last, the help key, stays). */
  readonly columns: number;
  readonly theme: Theme;
}

/** One line of "key what · key what" that fits the terminal. */
export function KeyHints({ hints, columns, theme }: KeyHintsProps) {
  return (
    <Text wrap="truncate" color={theme.muted}>
      {fitHints(hints, columns - 1).map(([k, what], i) => (
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
