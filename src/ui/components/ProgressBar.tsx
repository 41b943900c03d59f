import { Text } from 'ink';
import { bar } from './text-plots.js';

export interface ProgressBarProps {
  /** 0..1 */
  readonly fraction: number;
  readonly width: number;
  readonly color?: string;
}

export function ProgressBar({ fraction, width, color }: ProgressBarProps) {
  return <Text color={color}>{bar(fraction, width)}</Text>;
}
