import { Box, Text } from 'ink';
import { CLASS_NAMES } from '../../core/dataset/types.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { ImageStrip } from '../components/ImageStrip.js';
import type { Theme } from '../components/theme.js';
import { formatBytes, formatCount, formatDuration } from '../format.js';
import type { DataState, FileProgress } from '../state.js';
import type { RenderStyle } from '../../core/render/image-preview.js';

export interface DataScreenProps {
  readonly data: DataState;
  readonly columns: number;
  readonly rows: number;
  readonly theme: Theme;
  readonly imageStyle: RenderStyle;
}

function FileRow({ f, columns, theme }: { f: FileProgress; columns: number; theme: Theme }) {
  const downloading = f.total > 0 && (f.phase === 'downloading' || f.phase === 'downloaded');
  const status =
    f.phase === 'verified' ? (
      <Text color={theme.good}>✓ verified</Text>
    ) : f.phase === 'rejected' ? (
      <Text color={theme.bad}>✗ {f.reason ?? 'rejected'}</Text>
    ) : f.phase === 'verifying' ? (
      <Text color={theme.warn}>verifying…</Text>
    ) : (
      <Text color={theme.muted}>{f.phase ?? ''}</Text>
    );
  return (
    <Box>
      <Text wrap="truncate">{f.file.padEnd(26).slice(0, 26)} </Text>
      {downloading ? (
        <>
          <ProgressBar
            fraction={f.bytes / f.total}
            width={Math.max(6, Math.min(20, columns - 66))}
            color={theme.accent}
          />
          <Text>
            {' '}
            {`${formatBytes(f.bytes)}/${formatBytes(f.total)}`.padEnd(17)}{' '}
            {`${formatBytes(f.bytesPerSecond)}/s`.padEnd(10)} ETA {formatDuration(f.etaSeconds).padEnd(6)}{' '}
          </Text>
        </>
      ) : null}
      {status}
    </Box>
  );
}

/** Where the data comes from, download progress per file, verification, class counts, samples. */
export function DataScreen({ data, columns, rows, theme, imageStyle }: DataScreenProps) {
  const s = data.summary;
  const maxCount = s ? Math.max(...s.trainClassCounts, 1) : 1;
  const barWidth = Math.max(4, Math.min(16, Math.floor((columns - 2) / 2) - 26));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>Source </Text>
        {data.source ?? (data.status === 'error' ? 'none found' : 'looking for Fashion-MNIST…')}
      </Text>
      {data.status === 'loading' && data.messages.length > 0 ? (
        <Text color={theme.muted} wrap="truncate">
          {data.messages[data.messages.length - 1]}
        </Text>
      ) : null}
      {data.files.map((f) => (
        <FileRow key={f.file} f={f} columns={columns} theme={theme} />
      ))}
      {data.status === 'error' ? (
        <Text color={theme.bad} wrap="wrap">
          ✗ {data.error} — enter or r tries again
        </Text>
      ) : null}
      {s ? (
        <>
          <Text wrap="truncate">
            <Text bold>Images </Text>
            {formatCount(s.trainCount)} train / {formatCount(s.testCount)} test{s.subset ? ' (embedded sample)' : ''} ·{' '}
            {s.verified ? (
              <Text color={theme.good}>✓ SHA-256 verified</Text>
            ) : (
              <Text color={theme.warn}>not verified</Text>
            )}
          </Text>
          <Text bold>Classes (training set)</Text>
          {[0, 1, 2, 3, 4].map((r) => (
            <Box key={r}>
              {[r, r + 5].map((c) => (
                <Box key={c} width={Math.floor((columns - 2) / 2)}>
                  <Text wrap="truncate">
                    {`${c} ${CLASS_NAMES[c]}`.padEnd(14)}
                    <ProgressBar fraction={s.trainClassCounts[c] / maxCount} width={barWidth} color={theme.accent} />{' '}
                    {formatCount(s.trainClassCounts[c]).padStart(6)}
                  </Text>
                </Box>
              ))}
            </Box>
          ))}
          {rows >= 22 ? (
            <ImageStrip
              width={columns}
              imageStyle={imageStyle}
              size={rows >= 40 ? 28 : 14}
              items={s.samples.map((x) => ({ pixels: x.pixels, caption: CLASS_NAMES[x.label] }))}
            />
          ) : null}
        </>
      ) : data.status === 'loading' ? (
        <Text color={theme.muted}>loading… (enter moves on; training starts once the data is ready)</Text>
      ) : null}
    </Box>
  );
}
