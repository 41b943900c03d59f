import { Box, Text } from 'ink';
import type { Theme } from '../components/theme.js';
import { TunePanel } from '../components/TunePanel.js';
import type { Field, HpForm } from '../fields.js';
import type { EditState, HpState } from '../state.js';

export interface HyperparametersScreenProps {
  readonly hp: HpState;
  readonly fields: readonly Field[];
  readonly edit?: EditState;
  readonly columns: number;
  readonly rows: number;
  readonly theme: Theme;
  readonly canTune: boolean;
}

/** The fields with the selected one marked, its hint, and the validation reason inline. */
export function HyperparametersScreen({ hp, fields, edit, columns, rows, theme, canTune }: HyperparametersScreenProps) {
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
  // At 24 rows the longest list (adam + step schedule) still fits; scroll beyond that.
  const room = Math.max(5, rows - 9);
  const start = Math.min(Math.max(0, hp.selected - Math.floor(room / 2)), Math.max(0, fields.length - room));
  const visible = fields.slice(start, start + room);
  return (
    <Box flexDirection="column">
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
      {edit?.error ? <Text color={theme.bad}>✗ {edit.error}</Text> : null}
      <Text color={theme.muted} wrap="truncate">
        {edit ? 'type a value · enter sets it · esc cancels' : selected?.hint}
      </Text>
      {hp.error ? (
        <Text color={theme.bad} wrap="truncate">
          ✗ {hp.error}
        </Text>
      ) : (
        <Text color={theme.good}>✓ ready to train{canTune ? ' · l finds a learning rate · g searches' : ''}</Text>
      )}
    </Box>
  );
}
