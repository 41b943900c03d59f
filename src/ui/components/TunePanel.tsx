import { Box, Text } from 'ink';
import { renderLinePlot } from '../../core/render/line-plot.js';
import { formatLearningRate, formatPercent } from '../format.js';
import type { SearchTrial } from '../services.js';
import { presetOf, type TuneState } from '../state.js';
import type { Theme } from './theme.js';

export interface TunePanelProps {
  readonly tune: TuneState;
  readonly learningRate: number;
  readonly columns: number;
  readonly rows: number;
  readonly theme: Theme;
}

/** A trial's model: its preset's name, or its layer sizes when the search changed them. */
function modelLabel(spec: SearchTrial['spec']): string {
  if (!spec) return 'as set';
  const preset = presetOf(spec);
  if (preset !== 'custom') return preset;
  return `${spec.hidden.map((l) => l.units).join('-') || 'linear'}${spec.finalActivation !== 'none' ? ` ${spec.finalActivation}` : ''}`;
}

const orDash = (x: number, text: string) => (Number.isFinite(x) ? text : '--');

/** The learning-rate finder's curve with its suggestion, or the search's trial table. */
export function TunePanel({ tune, learningRate, columns, rows, theme }: TunePanelProps) {
  if (tune.status === 'error') return <Text color={theme.bad}>✗ {tune.error} (esc closes)</Text>;
  if (tune.status === 'finding') return <Text color={theme.warn}>finding a learning rate… (esc cancels)</Text>;
  if (tune.status === 'found' && tune.finder) {
    const f = tune.finder;
    // Clip the diverging tail at the starting loss so the useful part fills the height.
    let iMin = 0;
    for (let i = 1; i < f.losses.length; i++) if (f.losses[i] < f.losses[iMin]) iMin = i;
    const head = f.losses.slice(0, iMin + 1).filter(Number.isFinite);
    const lines = renderLinePlot({
      xs: f.learningRates,
      ys: f.losses,
      yMax: head.length > 0 ? Math.max(...head) * 1.05 : undefined,
      width: Math.min(columns - 2, 100),
      height: Math.max(4, Math.min(12, rows - 12)),
      logX: true,
      marks: [{ x: f.suggestion, label: `${formatLearningRate(f.suggestion)} suggested` }],
    });
    return (
      <Box flexDirection="column">
        <Text bold>Learning-rate finder: smoothed loss against learning rate</Text>
        {lines.map((l, i) => (
          <Text key={i}>{l}</Text>
        ))}
        <Text>
          suggestion <Text color={theme.good}>{formatLearningRate(f.suggestion)}</Text> (now{' '}
          {formatLearningRate(learningRate)}) · enter applies · esc keeps the current value
        </Text>
      </Box>
    );
  }
  const trials = tune.trials.slice(0, Math.max(3, rows - 10));
  const of = tune.trials.find((t) => t.of)?.of;
  const started = tune.trials.length;
  const running = tune.trials.filter((t) => t.status === 'running').length;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        Search{' '}
        {tune.status === 'searching' ? (
          <Text color={theme.warn}>
            {started === 0 ? 'starting…' : `trial ${started}${of ? `/${of}` : ''}${running ? ' running' : ''}`} (esc
            stops, keeps the finished trials)
          </Text>
        ) : tune.stopped ? (
          <Text color={theme.warn}>stopped · enter applies the best finished trial · esc closes</Text>
        ) : (
          <Text color={theme.good}>done · enter applies the best · esc closes</Text>
        )}
      </Text>
      <Text color={theme.muted}>{'  # model        optimizer lr       batch ep test acc test loss  time'}</Text>
      {trials.map((t, i) => (
        <Text key={t.id} color={i === 0 && Number.isFinite(t.testAccuracy) ? theme.good : undefined} wrap="truncate">
          {String(t.id).padStart(3)} {modelLabel(t.spec).padEnd(12)} {t.hyperparameters.optimizer.kind.padEnd(9)}{' '}
          {formatLearningRate(t.hyperparameters.learningRate).padEnd(8)}{' '}
          {String(t.hyperparameters.batchSize).padStart(5)} {String(t.epochs ?? '-').padStart(2)}{' '}
          {orDash(t.testAccuracy, formatPercent(t.testAccuracy)).padStart(8)}{' '}
          {orDash(t.testLoss, t.testLoss.toFixed(4)).padStart(9)} {`${t.seconds.toFixed(1)}s`.padStart(5)}
          {t.status === 'stopped' ? ' stopped early' : t.status === 'running' ? ' running' : ''}
        </Text>
      ))}
    </Box>
  );
}
