import { Text } from 'ink';
import type { Theme } from './theme.js';

export interface TypedTextProps {
  /** What the field is, e.g. "#3" or "layers". */
  readonly label: string;
  readonly buffer: string;
  /** The buffer is the current value, as if selected: typing replaces it. */
  readonly replace?: boolean;
  readonly error?: string;
  readonly theme: Theme;
}

/** A field being typed into (wrapping when long, as a pasted layer list is), then its error or how to finish. */
export function TypedText({ label, buffer, replace, error, theme }: TypedTextProps) {
  return (
    <>
      <Text wrap="wrap">
        <Text bold>{label}: </Text>
        {replace ? <Text inverse>{buffer}</Text> : <Text>{buffer}</Text>}
        <Text inverse> </Text>
      </Text>
      {error ? (
        <Text color={theme.bad} wrap="wrap">
          ✗ {error}
        </Text>
      ) : (
        <Text color={theme.muted} wrap="truncate">
          {replace ? 'typing replaces it, backspace edits it · ' : ''}enter sets · esc cancels
        </Text>
      )}
    </>
  );
}
