import { Box, Text } from 'ink';

/** Pre-rendered lines of text (charts, heat maps; ANSI colours allowed), one <Text> each. */
export function TextLines({ lines }: { readonly lines: readonly string[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}
