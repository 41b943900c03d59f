import { Text } from 'ink';
import type { LayerProblem, LayerRow } from '../../core/model/layer-report.js';
import type { ListWindow } from '../layer-list-layout.js';
import type { Theme } from './theme.js';

export interface LayerListViewProps {
  /** modelState(spec).report.rows */
  readonly rows: readonly LayerRow[];
  /** The selected row (marked ›). */
  readonly selected: number;
  /** The layer that breaks the list (marked ✗), if one does. */
  readonly problem?: LayerProblem;
  /** The rows on screen (listWindow): a longer list scrolls, with "↑ 3 more" / "↓ 2 more". */
  readonly window: ListWindow;
  readonly columns: number;
  readonly theme: Theme;
}

const SHAPE = 14;
const PARAMS = 9;
const MADDS = 11;
/** Marker, index and the gaps between the columns: the layer text gets what is left. */
const FIXED = 2 + 2 + 2 + 1 + SHAPE + 1 + PARAMS + 1 + MADDS;
const count = (v: number | undefined) => (v === undefined ? '' : v ? v.toLocaleString('en-US') : '-');
const fit = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));

/** A layer list: each layer with its output shape, parameters and multiply-adds, the selected and the bad row marked. */
export function LayerListView({ rows, selected, problem, window: w, columns, theme }: LayerListViewProps) {
  const longest = Math.max(0, ...rows.map((r) => r.text.length));
  const textWidth = Math.max(12, Math.min(longest + 1, columns - 1 - FIXED), 24);
  const line = (mark: string, index: string, text: string, shape: string, params: string, madds: string) =>
    `${mark}${index.padStart(2)}  ${fit(text, textWidth)} ${shape.padEnd(SHAPE)} ${params.padStart(PARAMS)} ${madds.padStart(MADDS)}`;
  const badAt = problem?.layer ?? -1;
  const more = (n: number, arrow: string, hidden: boolean) =>
    `  ${arrow} ${n} more${hidden ? ` (✗ #${badAt} among them)` : ''}`;
  return (
    <>
      <Text color={theme.muted}>{line('  ', '#', 'layer', 'output', 'params', 'mult-adds')}</Text>
      {w.above > 0 ? <Text color={theme.muted}>{more(w.above, '↑', badAt >= 0 && badAt < w.start)}</Text> : null}
      {rows.slice(w.start, w.end).map((r, k) => {
        const i = w.start + k;
        const on = i === selected;
        const bad = i === badAt;
        const shape = r.outputShape ? `[${r.outputShape.join(', ')}]` : '';
        return (
          <Text key={i} wrap="truncate" bold={on} color={bad ? theme.bad : on ? theme.accent : undefined}>
            {line(
              `${on ? '›' : ' '}${bad ? '✗' : ' '}`,
              `${i}`,
              r.text,
              shape,
              count(r.parameters),
              count(r.multiplyAdds),
            )}
          </Text>
        );
      })}
      {w.below > 0 ? <Text color={theme.muted}>{more(w.below, '↓', badAt >= w.end)}</Text> : null}
      {rows.length === 0 ? (
        <Text color={theme.muted}>{'    (no layers: a adds one, p picks a preset, l types a list)'}</Text>
      ) : null}
    </>
  );
}
