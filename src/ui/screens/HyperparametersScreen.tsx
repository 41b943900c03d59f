import { Box, Text } from 'ink';
import type { Theme } from '../components/theme.js';
import { TunePanel } from '../components/TunePanel.js';
import type { Field, HpForm } from '../fields.js';
import type { EditState, HpState } from '../state.js';
import { scheduleCurve } from '../../core/train/schedule.js';
import { formatLearningRate } from '../../core/format.js';
import { sparkline } from '../components/text-plots.js';

export interface HyperparametersScreenProps {
  readonly hp: HpState;
  readonly fields: readonly Field[];
  readonly edit?: EditState;
  readonly columns: number;
  readonly rows: number;
  readonly theme: Theme;
  readonly canTune: boolean;
  /** Training images of the loaded data: the schedule's curve is drawn over the run's steps. */
  readonly trainSize?: number;
}

/** Lines the screen uses besides the field list: step bar, hint, verdict, status, key hints, an error. */
const LINES_AROUND = 8;

/**
 * The rows of a list of `count` to show in `room` lines with `selected` among them; a line at the top
 * and one at the bottom say how many more there are when the list does not fit.
 */
export function scrollWindow(count: number, selected: number, room: number): { start: number; end: number } {
  if (count <= room) return { start: 0, end: count };
  const rows = room - 2; // the two "more" lines
  const start = Math.min(Math.max(0, selected - Math.floor(rows / 2)), count - rows);
  return { start, end: start + rows };
}

/** The fields with the selected one marked, its hint, and the validation reason inline. */
export function HyperparametersScreen({
  hp,
  fields,
  edit,
  columns,
  rows,
  theme,
  canTune,
  trainSize,
}: HyperparametersScreenProps) {
  if (hp.tune.status !== 'idle')
    return (
      <TunePanel
        tune={hp.tune}
        learningRate={hp.form.hyperparameters.learningRate}
        columns={columns}
        rows={rows}
        theme={theme}
      />
    );
  const form: HpForm = hp.form;
  const selected = fields[hp.selected];
  const { start, end } = scrollWindow(
    fields.length,
    hp.selected,
    Math.max(5, rows - LINES_AROUND - (hp.fromSettings ? 1 : 0)),
  );
  const visible = fields.slice(start, end);
  return (
    <Box flexDirection="column">
      {hp.fromSettings ? <Text color={theme.muted}>last settings loaded (r resets to the seed's)</Text> : null}
      {start > 0 ? <Text color={theme.muted}> ↑ {start} more above</Text> : null}
      {visible.map((f, k) => {
        const i = start + k;
        const on = i === hp.selected;
        const editing = on && edit && edit.target === f.id;
        return (
          <Text key={f.id} wrap="truncate" color={on ? theme.accent : undefined} bold={on}>
            {on ? '› ' : '  '}
            {f.label.padEnd(15)}{' '}
            {editing ? <Text inverse>{edit.buffer || ' '}</Text> : on ? `‹ ${f.show(form)} ›` : `  ${f.show(form)}`}
          </Text>
        );
      })}
      {end < fields.length ? <Text color={theme.muted}> ↓ {fields.length - end} more below</Text> : null}
      {edit?.error ? (
        <Text color={theme.bad} wrap="truncate">
          ✗ {edit.error}
        </Text>
      ) : null}
      <Text color={theme.muted} wrap="truncate">
        {edit ? 'type a value · enter sets it · esc cancels' : selected?.hint}
      </Text>
      {trainSize ? <ScheduleLine form={form} trainSize={trainSize} columns={columns} theme={theme} /> : null}
      {hp.error ? (
        <Text color={theme.bad} wrap="truncate">
          ✗ {hp.error}
        </Text>
      ) : hp.warning ? (
        <Text color={theme.warn} wrap="truncate">
          ! {hp.warning}
        </Text>
      ) : edit?.error ? null : (
        <Text color={theme.good} wrap="truncate">
          ✓ ready to train{canTune ? ' · l finds a learning rate · g searches' : ''}
        </Text>
      )}
    </Box>
  );
}

/** The learning rate over the whole run, before it starts: "lr ▂▅█▇▅▃▁ 4e-5 → 1e-3 → 4e-9 over 9,380 steps". */
function ScheduleLine({
  form,
  trainSize,
  columns,
  theme,
}: {
  form: HpForm;
  trainSize: number;
  columns: number;
  theme: Theme;
}) {
  const hp = form.hyperparameters;
  let curve: ReturnType<typeof scheduleCurve>;
  try {
    curve = scheduleCurve(hp, trainSize, 200);
  } catch {
    return null; // values the verdict line already refuses
  }
  const v = curve.values;
  const peak = Math.max(...v);
  const ends = [v[0], ...(peak > v[0] && peak > v[v.length - 1] ? [peak] : []), v[v.length - 1]];
  const label = `${ends.map((x) => formatLearningRate(Number(x.toPrecision(2)))).join(' → ')} over ${curve.steps.toLocaleString('en-US')} steps`;
  const width = Math.max(8, Math.min(40, columns - label.length - 6));
  return (
    <Text wrap="truncate">
      <Text color={theme.muted}>lr </Text>
      <Text color={theme.accent}>{sparkline(v, width, { min: 0, max: peak }).padEnd(width)}</Text> {label}
    </Text>
  );
}
