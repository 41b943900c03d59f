import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { CLASS_NAMES, PIXELS, type Split } from '../../core/dataset/types.js';
import { ImageStrip } from '../components/ImageStrip.js';
import { bar } from '../components/text-plots.js';
import { Sparkline } from '../components/Sparkline.js';
import { TrainCharts } from '../components/TrainCharts.js';
import type { Theme } from '../components/theme.js';
import { formatDuration, formatLearningRate, formatLoss, formatPercent, formatRate } from '../format.js';
import type { Prediction } from '../services.js';
import type { TrainState } from '../state.js';
import type { RenderStyle } from '../../core/render/image-preview.js';

export interface TrainScreenProps {
  readonly train: TrainState;
  /** The model being trained, in one line that fits (modelLine). */
  readonly model?: string;
  readonly optimizer: string;
  /** Shown in the header: a remembered tfjs engine made runs 10× slower unnoticed. */
  readonly engine?: string;
  readonly batchSize: number;
  /** The test split, for the prediction thumbnails. */
  readonly test?: Split;
  readonly columns: number;
  readonly rows: number;
  readonly theme: Theme;
  readonly imageStyle: RenderStyle;
  /** Show the epoch and batch-loss charts instead of the prediction thumbnails (key c). */
  readonly charts?: boolean;
}

const STATUS_TEXT: Record<TrainState['status'], string> = {
  idle: 'not started',
  waiting: 'waiting for the data…',
  starting: 'starting…',
  running: 'running',
  pausing: 'pausing…',
  paused: 'paused (space resumes)',
  stopping: 'stopping after this epoch',
  aborting: 'aborting…',
  finished: 'finished',
  error: 'error',
};

export interface PredictionStripProps {
  readonly items: readonly Prediction[];
  readonly test: Split;
  readonly width: number;
  readonly theme: Theme;
  readonly imageStyle: RenderStyle;
  readonly size: 14 | 28;
}

/** Test images with true and predicted labels (green right, red wrong); redrawn only when they change. */
export const PredictionStrip = memo(function PredictionStrip({
  items,
  test,
  width,
  theme,
  imageStyle,
  size,
}: PredictionStripProps) {
  const strip = useMemo(() => predictionItems(items, test, theme), [items, test, theme]);
  return <ImageStrip width={width} imageStyle={imageStyle} size={size} items={strip} />;
});

export function predictionItems(items: readonly Prediction[], test: Split, theme: Theme) {
  return items.map((p) => {
    const right = p.predicted === p.label;
    return {
      pixels: test.images.subarray(p.index * PIXELS, (p.index + 1) * PIXELS),
      caption: `${right ? '✓' : '✗'} ${CLASS_NAMES[p.predicted]}`,
      caption2: right ? `  ${formatPercent(p.probability, 0)}` : `  is ${CLASS_NAMES[p.label]}`,
      color: right ? theme.good : theme.bad,
    };
  });
}

/** Live plots and progress of the running training; the per-epoch table is in <Static> above. */
export function TrainScreen({
  train: t,
  model,
  optimizer,
  engine,
  batchSize,
  test,
  columns,
  rows,
  theme,
  imageStyle,
  charts,
}: TrainScreenProps) {
  const fraction = t.trainSize > 0 ? t.samplesSeen / t.trainSize : 0;
  const plotWidth = Math.max(10, columns - 26);
  const finite = t.losses.filter(Number.isFinite);
  const range = finite.length ? { min: Math.min(...finite), max: Math.max(...finite) } : undefined;
  const lastLoss = t.losses[t.losses.length - 1];
  const lastSmooth = t.smoothed[t.smoothed.length - 1];
  const accs = t.history.map((h) => h.testAccuracy);
  const last = t.history[t.history.length - 1];
  const aborted = t.status === 'finished' && t.endReason === 'aborted';
  const statusColor =
    t.status === 'error'
      ? theme.bad
      : aborted
        ? theme.warn
        : t.status === 'finished'
          ? theme.good
          : t.status === 'running'
            ? theme.accent
            : theme.warn;
  const statusText =
    t.status === 'finished' && t.endReason !== 'completed' ? (t.endReason ?? 'finished') : STATUS_TEXT[t.status];
  // An ETA only while there is something left to wait for (an aborted run showed "ETA 0.0s").
  const live = t.status === 'running' || t.status === 'stopping' || t.status === 'starting';
  return (
    <Box flexDirection="column">
      {model ? (
        <Text wrap="truncate">
          <Text color={theme.muted}>model </Text>
          {model}
        </Text>
      ) : null}
      {/* One text, cut at the edge: as three boxes it wrapped below 63 columns and left a blank line. */}
      <Text wrap="truncate">
        {`Epoch ${Math.max(t.epoch, 1)}/${t.epochs || '?'} `.padEnd(13)}
        <Text color={theme.accent}>{bar(fraction, Math.max(10, Math.min(30, columns - 52)))}</Text>{' '}
        {formatPercent(fraction, 0).padStart(4)}{' '}
        {`batch ${t.batch + (t.samplesSeen > 0 ? 1 : 0)}/${t.stepsPerEpoch || '?'}`.padEnd(15)}{' '}
        {formatRate(t.samplesPerSecond).padStart(7)}
        {live ? ` ETA ${formatDuration(t.epochEtaSeconds)}` : ''}
      </Text>
      <Box>
        <Text color={theme.muted}>{'loss  raw    '}</Text>
        <Sparkline values={t.losses} width={plotWidth} color={theme.raw} range={range} />
        <Text> {formatLoss(lastLoss)}</Text>
      </Box>
      <Box>
        <Text color={theme.muted}>{'      smooth '}</Text>
        <Sparkline values={t.smoothed} width={plotWidth} color={theme.smooth} range={range} />
        <Text> {formatLoss(lastSmooth)}</Text>
      </Box>
      <Box>
        <Text color={theme.muted}>{'test accuracy '}</Text>
        <Sparkline
          values={accs}
          width={Math.min(plotWidth, Math.max(1, accs.length))}
          color={theme.good}
          range={{ min: Math.min(...accs, 1) - 0.01, max: Math.max(...accs, 0) }}
        />
        <Text>
          {' '}
          {last ? `${formatPercent(last.testAccuracy)} after epoch ${last.epoch}` : '-- (after the first epoch)'}
        </Text>
      </Box>
      <Text wrap="truncate">
        lr {formatLearningRate(t.learningRate)} · {optimizer} · batch {batchSize} ·{' '}
        {engine ? <Text color={engine === 'onnx' ? undefined : theme.warn}>{engine} · </Text> : null}
        <Text color={statusColor}>{statusText}</Text>
        {t.status === 'running' && t.etaSeconds !== undefined ? ` · run ETA ${formatDuration(t.etaSeconds)}` : ''}
        {t.notice ? <Text color={theme.warn}> · {t.notice}</Text> : null}
      </Text>
      {t.status === 'error' ? (
        <Text color={theme.bad}>✗ {t.error} (enter or esc: back to the hyperparameters)</Text>
      ) : null}
      {t.status === 'finished' ? (
        <Text color={aborted ? theme.warn : theme.good} wrap="truncate">
          {aborted ? '■' : '✓'} training{' '}
          {t.stoppedEarly ? 'stopped early' : t.endReason === 'completed' ? 'finished' : t.endReason} after{' '}
          {t.history.length} epoch{t.history.length === 1 ? '' : 's'} in {formatDuration(t.seconds)}
          {last
            ? ` · test accuracy ${formatPercent(last.testAccuracy)}${t.model ? ' · enter: save' : ' · getting the weights…'}`
            : ' · esc: back to the settings'}
        </Text>
      ) : null}
      {t.status === 'finished' && t.stoppedEarly ? (
        <Text color={theme.muted} wrap="wrap">
          {'  '}
          {t.stoppedEarly}
        </Text>
      ) : null}
      {charts ? (
        <TrainCharts
          history={t.history}
          columns={columns}
          rows={rows}
          charset={imageStyle.style === 'unicode' ? 'braille' : 'ascii'}
          color={Boolean(theme.accent)}
        />
      ) : t.predictions && test && rows >= 20 ? (
        <>
          <Text bold>Test predictions after epoch {t.predictions.epoch}</Text>
          <PredictionStrip
            width={columns}
            imageStyle={imageStyle}
            size={rows >= 40 ? 28 : 14}
            items={t.predictions.items}
            test={test}
            theme={theme}
          />
        </>
      ) : null}
    </Box>
  );
}
