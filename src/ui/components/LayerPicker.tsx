import { Text } from 'ink';
import { formatLayer, type LayerSpec } from '../../core/model/layers.js';
import type { Theme } from './theme.js';

export interface LayerPickerProps {
  /** The kinds with the arguments a new layer starts from (NEW_LAYERS). */
  readonly kinds: readonly LayerSpec[];
  /** The highlighted kind. */
  readonly at: number;
  /** Where it goes: "after #3 MaxPool2d(2)", or "as the first layer". */
  readonly where: string;
  readonly theme: Theme;
}

/** The picker of layer kinds: every kind on one wrapped line, the chosen one highlighted, and what enter adds. */
export function LayerPicker({ kinds, at, where, theme }: LayerPickerProps) {
  return (
    <>
      <Text wrap="truncate">
        <Text bold>Add </Text>
        <Text color={theme.accent} bold>
          {formatLayer(kinds[at])}
        </Text>{' '}
        <Text color={theme.muted}>{where}</Text>
      </Text>
      <Text wrap="wrap">
        {kinds.map((k, i) => (
          <Text key={k.type}>
            {i > 0 ? ' ' : ''}
            <Text inverse={i === at} bold={i === at} color={i === at ? theme.accent : theme.muted}>
              {k.type}
            </Text>
          </Text>
        ))}
      </Text>
    </>
  );
}
