import { Box, Text } from 'ink';
import type { Theme } from '../components/theme.js';
import { formatBytes } from '../format.js';
import type { ExportResult } from '../services.js';
import type { TaskState } from '../state.js';

export interface ExportScreenProps {
  readonly exported: TaskState<ExportResult>;
  readonly theme: Theme;
}

export function ExportScreen({ exported, theme }: ExportScreenProps) {
  const r = exported.result;
  return (
    <Box flexDirection="column">
      <Text color={theme.muted}>
        ONNX inference model: input float32 [batch, 1, 28, 28] → logits [batch, 10], eval mode (no dropout)
      </Text>
      {exported.status === 'working' ? <Text color={theme.warn}>exporting…</Text> : null}
      {exported.status === 'error' ? (
        <>
          <Text color={theme.bad}>✗ {exported.error}</Text>
          <Text>{exported.exists ? 'o replaces it · esc back' : 'enter tries again · esc back'}</Text>
        </>
      ) : null}
      {exported.status === 'idle' ? <Text>enter exports</Text> : null}
      {r ? (
        <>
          <Text wrap="truncate">
            <Text color={theme.good}>✓</Text> {r.file.path}{' '}
            <Text color={theme.muted}>({formatBytes(r.file.bytes)})</Text>
          </Text>
          <Text>
            opset {r.opset}
            {r.checkerPassed !== undefined
              ? r.checkerPassed
                ? ' · ONNX checker passed'
                : ' · ONNX checker FAILED'
              : ''}
          </Text>
          {r.metadata ? (
            <Text wrap="truncate" color={theme.muted}>
              metadata:{' '}
              {Object.entries(r.metadata)
                .filter(([k]) => k !== 'fmnist_tui.spec' && k !== 'class_names')
                .map(([k, v]) => `${k} ${v}`)
                .join(' · ')}
              {r.metadata.class_names ? ' · 10 class names' : ''}
            </Text>
          ) : null}
          <Text color={theme.good}>exported · enter: verify with onnxruntime</Text>
        </>
      ) : null}
    </Box>
  );
}
