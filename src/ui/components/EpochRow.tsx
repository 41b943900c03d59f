import { Text } from 'ink';
import type { EpochMetrics } from '../../core/train/events.js';
import { formatLoss, formatPercent } from '../format.js';
import type { Theme } from './theme.js';

export const EPOCH_HEADER = 'epoch   train loss   test loss   test acc     time   samples/s';

export function epochRowText(m: EpochMetrics, epochs: number): string {
  const ep = `${m.epoch}/${epochs}`.padEnd(7);
  // --val: the validation accuracy after the row, and '*' on the best epoch so far (what early stopping keeps).
  const best = (m as { bestEpoch?: number }).bestEpoch === m.epoch ? ' *' : '';
  const val = m.valAccuracy !== undefined ? `  val ${formatPercent(m.valAccuracy)}${best}` : best;
  const seconds = `${m.seconds.toFixed(2)}s`.padStart(7);
  const samples = Math.round(m.samplesPerSecond).toLocaleString('en-US').padStart(10);
  return (
    `${ep} ${formatLoss(m.trainLoss, 6).padStart(10)}  ${formatLoss(m.testLoss, 6).padStart(10)}  ` +
    `${formatPercent(m.testAccuracy).padStart(9)}  ${seconds}  ${samples}${val}`
  );
}

export interface EpochRowProps {
  readonly metrics: EpochMetrics;
  readonly epochs: number;
  /** Highlights an accuracy that beats every earlier epoch. */
  readonly best: boolean;
  readonly theme: Theme;
}

export function EpochRow({ metrics, epochs, best, theme }: EpochRowProps) {
  return (
    <Text color={best ? theme.good : undefined} wrap="truncate">
      {epochRowText(metrics, epochs)}
    </Text>
  );
}
