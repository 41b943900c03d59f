import { Text } from 'ink';
import { sparkline } from './text-plots.js';

export interface SparklineProps {
  readonly values: readonly number[];
  readonly width: number;
  readonly color?: string;
  readonly range?: { min: number; max: number };
}

export function Sparkline({ values, width, color, range }: SparklineProps) {
  return <Text color={color}>{sparkline(values, width, range).padEnd(width, ' ')}</Text>;
}
