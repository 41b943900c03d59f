// The Model step on a layer list: select, add (a picker of the kinds), remove, move, resize, and
// type a layer's text or the whole list (parsed as --layers is). The list may become invalid on
// the way: modelState names the layer that breaks it, and Enter refuses to go on until it fits.
import {
  hasRoom,
  insertLayers,
  mlpAsLayers,
  moveLayer,
  NEW_LAYERS,
  removeLayer,
  replaceLayer,
  stepLayer,
} from '../../core/model/layer-edit.js';
import { formatLayer, formatLayers, LayerError, MAX_LAYERS, type LayerSpec } from '../../core/model/layers.js';
import { parseLayers, tokenizeLayers } from '../../core/model/parse-layers.js';
import { layerListSpec } from '../../core/model/spec.js';
import type { KeyCommand } from '../keys.js';
import type { AppState, EditState } from '../state.js';
import { select, setSpec } from './model-spec.js';

/** What committing an edit would do: the state it makes, or why it can't. */
export type Checked = { readonly error: string } | { readonly apply: (state: AppState) => AppState };

/** The edit targets of a layer list: the selected layer, a new one after it, the whole list. */
export const LAYER_TARGETS = ['model.layer', 'model.insert', 'model.layers'] as const;

const layersOf = (state: AppState): readonly LayerSpec[] => state.model.spec.layers ?? [];

/** The model as this layer list (keeping the LogSoftmax flag the loss set, see specForLoss). */
function setLayers(state: AppState, layers: readonly LayerSpec[], selected: number): AppState {
  return setSpec(state, { ...layerListSpec(layers), logSoftmax: state.model.spec.logSoftmax }, selected);
}

const status = (state: AppState, text: string): AppState => ({ ...state, status: text });

/** Typing the selected layer (or the whole list): the text is there, and what is typed first replaces it. */
function typing(state: AppState, target: (typeof LAYER_TARGETS)[number], buffer: string): AppState {
  return { ...state, model: { ...state.model, picker: undefined }, edit: { target, buffer, replace: true } };
}

/** l: the whole list as text (the MLP form as its equivalent list, so this is how it becomes one). */
export function editWholeList(state: AppState): AppState {
  return typing(state, 'model.layers', formatLayers(mlpAsLayers(state.model.spec)));
}

export function layerListCommand(state: AppState, cmd: KeyCommand): AppState {
  const layers = layersOf(state);
  const n = layers.length;
  const { selected } = state.model;
  const layer = layers[selected];
  const where = layer ? `#${selected} ${formatLayer(layer)}` : '';
  switch (cmd) {
    case 'up':
      return n ? select(state, (selected - 1 + n) % n) : state;
    case 'down':
      return n ? select(state, (selected + 1) % n) : state;
    case 'left':
    case 'right': {
      if (!layer) return status(state, 'no layers: a adds one, p picks a preset');
      const next = stepLayer(layer, cmd === 'right' ? 1 : -1);
      if (!next)
        return status(
          state,
          stepLayer(layer, cmd === 'right' ? -1 : 1)
            ? `${where} is at its limit`
            : `${where} has no size to change: e edits its text`,
        );
      return setLayers(state, replaceLayer(layers, selected, [next]), selected);
    }
    case 'addLayer': {
      if (!hasRoom(layers)) return status(state, `a layer list holds at most ${MAX_LAYERS} layers`);
      const kind = NEW_LAYERS.findIndex((l) => l.type === layer?.type);
      return { ...state, model: { ...state.model, picker: Math.max(0, kind) } };
    }
    case 'removeLayer':
      if (!layer) return status(state, 'nothing to remove: a adds a layer, p picks a preset');
      return setLayers(state, removeLayer(layers, selected), Math.min(selected, n - 2));
    case 'moveUp':
    case 'moveDown': {
      const dir = cmd === 'moveUp' ? -1 : 1;
      const moved = moveLayer(layers, selected, dir);
      if (!moved)
        return status(state, layer ? `${where} is already at the ${dir < 0 ? 'top' : 'bottom'}` : 'no layers');
      return setLayers(state, moved, selected + dir);
    }
    case 'edit':
      return layer ? typing(state, 'model.layer', formatLayer(layer)) : typing(state, 'model.insert', '');
    case 'cycleActivation':
      return status(state, "in a layer list ←/→ change an activation's kind; a adds one");
    case 'cycleDropout':
      return status(state, 'in a layer list a adds a Dropout, ←/→ change its p');
    default:
      return state;
  }
}

/** The picker of layer kinds (a): choose one, enter adds it after the selected layer. */
export function pickerCommand(state: AppState, cmd: KeyCommand): AppState {
  const at = state.model.picker ?? 0;
  const k = NEW_LAYERS.length;
  const move = (i: number) => ({ ...state, model: { ...state.model, picker: (i + k) % k } });
  const layers = layersOf(state);
  switch (cmd) {
    case 'left':
    case 'up':
      return move(at - 1);
    case 'right':
    case 'down':
      return move(at + 1);
    case 'next': {
      const after = layers.length === 0 ? -1 : state.model.selected;
      return setLayers(state, insertLayers(layers, after, [NEW_LAYERS[at]]), after + 1);
    }
    case 'edit':
      return typing(state, 'model.insert', formatLayer(NEW_LAYERS[at]));
    case 'back':
      return { ...state, model: { ...state.model, picker: undefined } };
    default:
      return state;
  }
}

/** A letter typed in the picker: the next kind whose name starts with it (l: Linear, LeakyReLU, LogSoftmax). */
export function pickerJump(state: AppState, text: string): AppState {
  let at = state.model.picker ?? 0;
  for (const ch of text.toLowerCase()) {
    const k = NEW_LAYERS.length;
    for (let step = 1; step <= k; step++) {
      const i = (at + step) % k;
      if (NEW_LAYERS[i].type.toLowerCase().startsWith(ch)) {
        at = i;
        break;
      }
    }
  }
  return { ...state, model: { ...state.model, picker: at } };
}

/** The parser's reason; with several layers typed, which one (`layer 2 (Conv3d): …`). */
function parseError(text: string, err: LayerError): string {
  const tokens = tokenizeLayers(text);
  const token = tokens[err.layer];
  return tokens.length > 1 && token ? `layer ${err.layer + 1} (${token.text}): ${err.reason}` : err.reason;
}

/** What Enter would do with a typed layer, new layer or whole list; undefined for other targets. */
export function checkLayerEdit(state: AppState, edit: EditState): Checked | undefined {
  const target = LAYER_TARGETS.find((t) => t === edit.target);
  if (!target) return undefined;
  const text = edit.buffer.trim();
  if (text === '')
    return { error: `type ${target === 'model.layers' ? 'the layers' : 'a layer'}, e.g. Conv2d(32,3,padding=1)` };
  let typed: LayerSpec[];
  try {
    typed = parseLayers(text);
  } catch (err) {
    if (err instanceof LayerError) return { error: parseError(text, err) };
    throw err;
  }
  const layers = layersOf(state);
  const sel = state.model.selected;
  const after = layers.length === 0 ? -1 : sel;
  const next =
    target === 'model.layers'
      ? typed
      : target === 'model.layer'
        ? replaceLayer(layers, sel, typed)
        : insertLayers(layers, after, typed);
  if (next.length > MAX_LAYERS) return { error: `a layer list holds at most ${MAX_LAYERS} layers` };
  const selected =
    target === 'model.layers' ? Math.min(sel, next.length - 1) : target === 'model.insert' ? after + 1 : sel;
  return { apply: (s) => setLayers(s, next, selected) };
}
