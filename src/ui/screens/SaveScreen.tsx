import { Box, Text } from 'ink';
import type { Theme } from '../components/theme.js';
import { formatBytes } from '../format.js';
import type { EditState, TaskState } from '../state.js';
import type { SaveResult } from '../services.js';

export interface SaveScreenProps {
  readonly save: TaskState<SaveResult> & { readonly dir: string };
  readonly edit?: EditState;
  readonly theme: Theme;
}

export function FileTable({ files, theme }: { files: SaveResult['files']; theme: Theme }) {
  return (
    <Box flexDirection="column">
      {files.map((f) => (
        <Text key={f.path} wrap="truncate">
          <Text color={theme.good}>✓</Text> {f.path}{' '}
          <Text color={theme.muted}>
            ({formatBytes(f.bytes)}, {f.what})
          </Text>
        </Text>
      ))}
    </Box>
  );
}

/** The run folder: where it goes, then what was written. */
export function SaveScreen({ save, edit, theme }: SaveScreenProps) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>Folder </Text>
        {edit ? <Text inverse>{`${edit.buffer} `}</Text> : save.dir}
      </Text>
      {edit?.error ? <Text color={theme.bad}>✗ {edit.error}</Text> : null}
      <Text color={theme.muted}>weights (safetensors, PyTorch state_dict names), checkpoint, metrics history</Text>
      {save.status === 'idle' ? <Text>enter saves here · e types another folder</Text> : null}
      {save.status === 'working' ? <Text color={theme.warn}>saving…</Text> : null}
      {save.status === 'error' ? (
        <>
          <Text color={theme.bad}>✗ {save.error}</Text>
          <Text>
            {save.exists ? 'o overwrites it · e types another folder' : 'enter tries again · e changes the folder'}
          </Text>
        </>
      ) : null}
      {save.status === 'done' && save.result ? (
        <>
          <FileTable files={save.result.files} theme={theme} />
          <Text color={theme.good}>saved · enter: export to ONNX</Text>
        </>
      ) : null}
    </Box>
  );
}
