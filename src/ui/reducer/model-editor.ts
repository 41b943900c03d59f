// The Model step: presets, the MLP form's table (sizes, activations, dropout), and the way into the
// layer-list editor (layer-editor.ts) that a layer list gets.
import {
  ACTIVATIONS,
  isLayerList,
  MAX_HIDDEN_LAYERS,
  MAX_HIDDEN_UNITS,
  PRESETS,
  PRESET_NAMES,
  type Activation,
  type ModelSpec,
  type PresetName,
} from '../../core/model/spec.js';
import { PRESET_TRAINING, withPresetTraining } from '../../config/preset-training.js';
import { formatLearningRate } from '../../core/format.js';
import type { KeyCommand } from '../keys.js';
import type { AppState } from '../state.js';
import { setForm } from './hp-form.js';
import { editWholeList, layerListCommand } from './layer-editor.js';
import { setSpec } from './model-spec.js';
import { goto } from './transitions.js';

const DROPOUTS = [0, 0.1, 0.2, 0.3, 0.5];
const cycle = <T>(xs: readonly T[], x: T, dir: 1 | -1 = 1): T => xs[(xs.indexOf(x) + dir + xs.length) % xs.length];

/**
 * p: the next preset. Custom layers are kept, not dropped: after the last preset p brings them back.
 */
function cyclePreset(state: AppState): AppState {
  const { spec, preset, custom } = state.model;
  const last = PRESET_NAMES[PRESET_NAMES.length - 1];
  if (preset === last && custom)
    return {
      ...setSpec({ ...state, model: { ...state.model, custom: undefined } }, custom, 0),
      status: 'your layers are back',
    };
  const name: PresetName = preset === 'custom' ? PRESET_NAMES[0] : cycle(PRESET_NAMES, preset);
  const kept = preset === 'custom' ? spec : custom;
  const next = setSpec(
    { ...state, model: { ...state.model, custom: kept, scroll: 0 } },
    { ...PRESETS[name], hidden: PRESETS[name].hidden.map((l) => ({ ...l })), logSoftmax: spec.logSoftmax },
    0,
  );
  const trained = withTraining(next, name);
  if (kept) return { ...trained, status: 'your own layers are kept: p after the last preset brings them back' };
  return trained;
}

/**
 * A preset with its own training settings (cnn, best) lays them over the Hyperparameters form, as
 * `train --preset` does; the status line says so. Everything else in the form stays as it was.
 */
function withTraining(state: AppState, name: PresetName): AppState {
  if (Object.keys(PRESET_TRAINING[name]).length === 0) return state;
  const hp = withPresetTraining(state.hp.form.hyperparameters, name);
  const next = setForm(state, { ...state.hp.form, hyperparameters: hp });
  const what = `${hp.optimizer.kind} ${formatLearningRate(hp.learningRate)} ${hp.schedule.kind}, ${hp.epochs} epochs`;
  return { ...next, status: `${name}'s training settings are in Hyperparameters: ${what}` };
}

export function modelCommand(state: AppState, cmd: KeyCommand): AppState {
  const { spec } = state.model;
  switch (cmd) {
    case 'next':
      if (state.model.error) return { ...state, status: `fix the model first: ${state.model.error}` };
      return goto(state, 1);
    case 'back':
      return goto(state, -1);
    case 'cyclePreset':
      return cyclePreset(state);
    case 'editList':
      return editWholeList(state);
    default:
      return isLayerList(spec) ? layerListCommand(state, cmd) : mlpCommand(state, cmd);
  }
}

/** The MLP form's table: hidden layers (size, activation, dropout) and the output row. */
function mlpCommand(state: AppState, cmd: KeyCommand): AppState {
  const { spec, selected } = state.model;
  const rows = spec.hidden.length + 1;
  const onOutput = selected >= spec.hidden.length;
  const setLayer = (patch: Partial<ModelSpec['hidden'][number]>) =>
    setSpec(state, { ...spec, hidden: spec.hidden.map((l, j) => (j === selected ? { ...l, ...patch } : l)) });
  switch (cmd) {
    case 'up':
      return { ...state, model: { ...state.model, selected: (selected - 1 + rows) % rows } };
    case 'down':
      return { ...state, model: { ...state.model, selected: (selected + 1) % rows } };
    case 'left':
    case 'right': {
      const dir = cmd === 'right' ? 1 : -1;
      if (onOutput) return setSpec(state, { ...spec, finalActivation: cycle(ACTIVATIONS, spec.finalActivation, dir) });
      const units = spec.hidden[selected].units;
      return setLayer({ units: Math.min(MAX_HIDDEN_UNITS, Math.max(1, dir > 0 ? units * 2 : Math.floor(units / 2))) });
    }
    case 'addLayer': {
      if (spec.hidden.length >= MAX_HIDDEN_LAYERS)
        return { ...state, status: `at most ${MAX_HIDDEN_LAYERS} hidden layers` };
      const at = Math.min(selected + 1, spec.hidden.length);
      const template = spec.hidden[Math.min(selected, spec.hidden.length - 1)] ?? {
        units: 128,
        activation: 'relu' as Activation,
        dropout: 0,
      };
      const hidden = [...spec.hidden.slice(0, at), { ...template }, ...spec.hidden.slice(at)];
      return setSpec(state, { ...spec, hidden }, at);
    }
    case 'removeLayer': {
      if (onOutput) return { ...state, status: 'the output layer stays (10 classes); select a hidden layer to remove' };
      const hidden = spec.hidden.filter((_, j) => j !== selected);
      return setSpec(state, { ...spec, hidden }, Math.min(selected, hidden.length));
    }
    case 'cycleActivation':
      if (onOutput) return setSpec(state, { ...spec, finalActivation: cycle(ACTIVATIONS, spec.finalActivation) });
      return setLayer({ activation: cycle(ACTIVATIONS, spec.hidden[selected].activation) });
    case 'cycleDropout': {
      if (onOutput) return { ...state, status: 'dropout applies to hidden layers' };
      const d = spec.hidden[selected].dropout;
      return setLayer({ dropout: DROPOUTS[(DROPOUTS.findIndex((x) => x >= d - 1e-9) + 1) % DROPOUTS.length] ?? 0 });
    }
    case 'moveUp':
    case 'moveDown':
      return { ...state, status: 'layers move in a layer list: l types this model as one' };
    case 'edit':
      // On the output row e types its activation (its 10 units are fixed): an edit, so esc cancels it
      // rather than leaving the step.
      return { ...state, edit: { target: onOutput ? 'model.finalActivation' : 'model.units', buffer: '' } };
    default:
      return state;
  }
}
