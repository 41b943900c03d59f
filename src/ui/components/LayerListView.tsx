import { Text } from 'ink';
import type { SummaryRow } from '../../core/model/summary.js';
import type { Theme } from './theme.js';

export interface LayerListViewProps {
  /** summarizeModel(spec).rows */
  readonly rows: readonly SummaryRow[];
  readonly theme: Theme;
  /** Rows shown at most (the step fits 80×24); a line says how many more there are. */
  readonly maxRows?: number;
}

/** A layer-list model, read-only: each layer with its output shape, parameters and multiply-adds. */
export function LayerListView({ rows, theme, maxRows = 12 }: LayerListViewProps) {
  const shown = rows.slice(0, maxRows);
  const cell = (r: SummaryRow) =>
    `${r.name.replace('layers.', '').padStart(3)}  ${r.layer.padEnd(24)} ${`[${r.outputShape.slice(1).join(', ')}]`.padEnd(
      14,
    )} ${(r.parameters ? r.parameters.toLocaleString('en-US') : '-').padStart(9)} ${(
      r.multiplyAdds ? r.multiplyAdds.toLocaleString('en-US') : '-'
    ).padStart(11)}`;
  return (
    <>
      <Text color={theme.muted}>{'   #  layer                    output          params   mult-adds'}</Text>
      {shown.map((r) => (
        <Text key={r.name} wrap="truncate">
          {cell(r)}
        </Text>
      ))}
      {rows.length > shown.length ? (
        <Text color={theme.muted}>{`  … ${rows.length - shown.length} more (fmnist-tui model shows them all)`}</Text>
      ) : null}
      <Text color={theme.muted} wrap="truncate">
        {'  edit a layer list with train --layers "…"; p picks another preset'}
      </Text>
    </>
  );
}
