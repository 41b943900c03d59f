import { Box, Text } from 'ink';
import { NEW_LAYERS } from '../../core/model/layer-edit.js';
import { ACTIVATIONS, describeModel, isLayerList } from '../../core/model/spec.js';
import { LayerListView } from '../components/LayerListView.js';
import { LayerPicker } from '../components/LayerPicker.js';
import type { Theme } from '../components/theme.js';
import { TypedText } from '../components/TypedText.js';
import { formatCount } from '../format.js';
import { layerRowsFor, listWindow } from '../layer-list-layout.js';
import type { EditState, ModelState } from '../state.js';

export interface ModelScreenProps {
  readonly model: ModelState;
  /** A model field being typed (target model.*). */
  readonly editing?: EditState;
  /** The terminal's size: a layer list longer than the screen scrolls; wider shows longer layer texts. */
  readonly rows?: number;
  readonly columns?: number;
  readonly theme: Theme;
}

const PRESET_NOTES: Record<string, string> = {
  seed: "exactly the seed's NeuralNetwork (final ReLU included)",
  recommended: "the seed's layers without the final ReLU (the current PyTorch tutorial)",
  cnn: 'a small CNN (16/32 channels) with its own training settings',
  best: 'a 32/64-channel CNN, augmentation, one-cycle: 93.7% in 14 min here',
  custom: 'your own layers',
};

/** The layer list (selected row marked), the preset, and the live parameter count. */
export function ModelScreen({ model, editing, rows = 24, columns = 80, theme }: ModelScreenProps) {
  const { spec, selected } = model;
  const row = (i: number, cells: string, extra?: string) => {
    const on = i === selected;
    return (
      <Text key={i} wrap="truncate" color={on ? theme.accent : undefined} bold={on}>
        {on ? '› ' : '  '}
        {cells}
        {extra ? <Text color={theme.muted}>{extra}</Text> : null}
      </Text>
    );
  };
  const header = (
    <Text wrap="truncate">
      <Text bold>Preset </Text>
      {model.preset} <Text color={theme.muted}>— {PRESET_NOTES[model.preset]}</Text>
    </Text>
  );
  const typed = (label: string) =>
    editing ? (
      <TypedText label={label} buffer={editing.buffer} replace={editing.replace} error={editing.error} theme={theme} />
    ) : null;
  if (isLayerList(spec) && model.report) {
    const report = model.report;
    const on = report.rows[selected];
    const where = on ? `after #${selected} ${on.text}` : 'as the first layer';
    const label =
      editing?.target === 'model.layers'
        ? 'layers'
        : editing?.target === 'model.insert'
          ? `new layer ${where}`
          : `#${selected}`;
    return (
      <Box flexDirection="column">
        {header}
        <LayerListView
          rows={report.rows}
          selected={selected}
          problem={report.problem}
          window={listWindow(report.rows.length, selected, model.scroll ?? 0, layerRowsFor(rows))}
          columns={columns}
          theme={theme}
        />
        {editing ? null : model.error ? (
          <Text color={theme.bad} wrap="wrap">
            ✗ {model.error}
          </Text>
        ) : (
          <Text wrap="truncate">
            <Text bold>Parameters </Text>
            {formatCount(model.parameterCount)} · {formatCount(report.multiplyAdds)} mult-adds per image
          </Text>
        )}
        {editing
          ? typed(label)
          : model.picker !== undefined && (
              <LayerPicker kinds={NEW_LAYERS} at={model.picker} where={where} theme={theme} />
            )}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {header}
      <Text color={theme.muted}>{'   #  layer            units  activation   dropout'}</Text>
      <Text color={theme.muted}>{'      input (Flatten)    784'}</Text>
      {spec.hidden.map((l, i) =>
        row(
          i,
          `${String(i + 1).padStart(2)}  Linear hidden    ${String(l.units).padStart(5)}  ${l.activation.padEnd(11)}  ${l.dropout > 0 ? l.dropout : '-'}`,
        ),
      )}
      {row(
        spec.hidden.length,
        `${'out'.padStart(3)} Linear output       10  ${spec.finalActivation.padEnd(11)}  -`,
        `  final activation${spec.logSoftmax ? ' + LogSoftmax (nll)' : ''}`,
      )}
      {editing?.target === 'model.layers' ? (
        typed('layers')
      ) : editing ? (
        <Text>
          {selected < spec.hidden.length
            ? `size of layer ${selected + 1}`
            : `final activation (${ACTIVATIONS.join(', ')})`}
          : <Text inverse>{`${editing.buffer} `}</Text>
          {editing.error ? (
            <Text color={theme.bad}> {editing.error}</Text>
          ) : (
            <Text color={theme.muted}> (enter sets, esc cancels)</Text>
          )}
        </Text>
      ) : null}
      <Text> </Text>
      <Text wrap="truncate">
        <Text bold>Parameters </Text>
        {formatCount(model.parameterCount)} · {(model.flops / 1e6).toFixed(2)} MFLOPs per image
      </Text>
      <Text wrap="truncate" color={theme.muted}>
        {describeModel(spec)}
      </Text>
      <Text wrap="truncate" color={theme.muted}>
        l types it as a layer list, to add Conv2d, pooling, BatchNorm, …
      </Text>
      {model.error ? <Text color={theme.bad}>✗ {model.error}</Text> : null}
    </Box>
  );
}
