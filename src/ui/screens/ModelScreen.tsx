import { Box, Text } from 'ink';
import { ACTIVATIONS, describeModel, isLayerList } from '../../core/model/spec.js';
import { summarizeModel } from '../../core/model/summary.js';
import { LayerListView } from '../components/LayerListView.js';
import type { Theme } from '../components/theme.js';
import { formatCount } from '../format.js';
import type { ModelState } from '../state.js';

export interface ModelScreenProps {
  readonly model: ModelState;
  readonly editing?: { readonly buffer: string; readonly error?: string };
  readonly theme: Theme;
}

const PRESET_NOTES: Record<string, string> = {
  seed: "exactly the seed's NeuralNetwork (final ReLU included)",
  recommended: "the seed's layers without the final ReLU (the current PyTorch tutorial)",
  cnn: 'a small CNN (16/32 channels) with its own training settings',
  best: 'a 32/64-channel CNN with augmentation and one-cycle: 93.5% in 15 min',
  custom: 'your own layers',
};

/** The layer list (selected row marked), the preset, and the live parameter count. */
export function ModelScreen({ model, editing, theme }: ModelScreenProps) {
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
  if (isLayerList(spec) && !model.error)
    return (
      <Box flexDirection="column">
        {header}
        <LayerListView rows={summarizeModel(spec).rows} theme={theme} />
        <Text wrap="truncate">
          <Text bold>Parameters </Text>
          {formatCount(model.parameterCount)} · {(model.flops / 1e6).toFixed(2)} MFLOPs per image
        </Text>
      </Box>
    );
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
      {editing ? (
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
      {model.error ? <Text color={theme.bad}>✗ {model.error}</Text> : null}
    </Box>
  );
}
