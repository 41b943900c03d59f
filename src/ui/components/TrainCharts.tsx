// The Train step's charts: loss and accuracy per epoch with axes and a legend, and the whole
// run's batch loss (each finished epoch's bucket means), drawn as text.
import { Text } from 'ink';
import { memo, useMemo } from 'react';
import { renderBatchLossChart, renderEpochCharts, type ChartEpoch } from '../../core/render/run-charts.js';
import { TextLines } from './TextLines.js';

export interface TrainChartsProps {
  readonly history: readonly ChartEpoch[];
  readonly columns: number;
  readonly rows: number;
  readonly charset: 'braille' | 'ascii';
  readonly color: boolean;
}

export const TrainCharts = memo(function TrainCharts({ history, columns, rows, charset, color }: TrainChartsProps) {
  const lines = useMemo(() => {
    const style = { width: columns, charset, color };
    const tall = rows >= 34;
    return [
      ...renderEpochCharts(history, { ...style, height: tall ? 8 : 4 }),
      ...renderBatchLossChart(history, { ...style, height: tall ? 6 : 3 }),
    ];
  }, [history, columns, rows, charset, color]);
  if (history.length === 0) return <Text>charts after the first epoch (c: back to the predictions)</Text>;
  return <TextLines lines={lines} />;
});
