import { Box, Text } from 'ink';
import type { KeyBinding } from '../keys.js';
import type { Theme } from './theme.js';

export interface HelpOverlayProps {
  /** Sections in order: title and the bindings listed under it. */
  readonly sections: readonly { readonly title: string; readonly bindings: readonly KeyBinding[] }[];
  readonly columns: number;
  readonly theme: Theme;
}

/** Indent, the longest label (ctrl+w), a space. */
const LABEL_WIDTH = 10;

/** Every key, from the key table, in two columns when the terminal is wide enough. */
export function HelpOverlay({ sections, columns, theme }: HelpOverlayProps) {
  const twoColumns = columns >= 110;
  const half = Math.ceil(sections.length / 2);
  const groups = twoColumns ? [sections.slice(0, half), sections.slice(half)] : [sections];
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold>
        Keys (? or esc closes)
        {sections.length < 6 ? <Text color={theme.muted}> · each step's own keys show on that step</Text> : null}
      </Text>
      <Box>
        {groups.map((group, g) => (
          <Box key={g} flexDirection="column" width={twoColumns ? Math.floor((columns - 6) / 2) : undefined}>
            {group.map((s) => (
              <Box key={s.title} flexDirection="column">
                <Text bold color={theme.accent}>
                  {s.title}
                </Text>
                {s.bindings.map((b) => (
                  // The description wraps under itself (it was cut at 120 columns with room to spare).
                  <Box key={b.scope + b.command + b.label}>
                    <Box width={LABEL_WIDTH} flexShrink={0}>
                      <Text bold>
                        {'  '}
                        {b.label}
                      </Text>
                    </Box>
                    <Text wrap="wrap">{b.description}</Text>
                  </Box>
                ))}
              </Box>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
