// Edits of a layer list, as pure functions (the session's Model step calls them): insert a layer
// of any kind with sensible arguments, remove, replace, move, nudge its size, and the MLP form as
// the equivalent list. Each returns a new list; none checks that the list still fits together
// (inspectLayers says where it breaks, and the editor shows that in place).
import { LAYER_RULES, MAX_LAYERS, type LayerSpec, type LayerType } from './layers.js';
import type { Activation, ModelSpec } from './spec.js';

/** Every kind with the arguments a new layer of it starts from (the picker's order). */
export const NEW_LAYERS: readonly LayerSpec[] = [
  { type: 'Conv2d', outChannels: 16, kernelSize: 3, stride: 1, padding: 1 },
  { type: 'MaxPool2d', kernelSize: 2, stride: 2 },
  { type: 'AvgPool2d', kernelSize: 2, stride: 2 },
  { type: 'BatchNorm2d' },
  { type: 'BatchNorm1d' },
  { type: 'Dropout', p: 0.25 },
  { type: 'Flatten' },
  { type: 'Linear', outFeatures: 128 },
  { type: 'ReLU' },
  { type: 'Tanh' },
  { type: 'Sigmoid' },
  { type: 'LeakyReLU' },
  { type: 'LogSoftmax' },
];

/** A new layer of this kind with sensible arguments, e.g. Conv2d(16,3,padding=1), Linear(128). */
export function newLayer(type: LayerType): LayerSpec {
  return NEW_LAYERS.find((l) => l.type === type) ?? { type: 'ReLU' };
}

/** The list with `added` inserted after position `after` (-1: at the top). */
export function insertLayers(layers: readonly LayerSpec[], after: number, added: readonly LayerSpec[]): LayerSpec[] {
  const at = Math.max(0, Math.min(after + 1, layers.length));
  return [...layers.slice(0, at), ...added, ...layers.slice(at)];
}

/** The list without the layer at `at`. */
export function removeLayer(layers: readonly LayerSpec[], at: number): LayerSpec[] {
  return layers.filter((_, i) => i !== at);
}

/** The list with the layer at `at` replaced by `replacement` (one layer or several). */
export function replaceLayer(layers: readonly LayerSpec[], at: number, replacement: readonly LayerSpec[]): LayerSpec[] {
  return [...layers.slice(0, at), ...replacement, ...layers.slice(at + 1)];
}

/** The list with the layer at `at` swapped with its neighbour (dir -1: up); undefined at an end. */
export function moveLayer(layers: readonly LayerSpec[], at: number, dir: 1 | -1): LayerSpec[] | undefined {
  const to = at + dir;
  if (at < 0 || at >= layers.length || to < 0 || to >= layers.length) return undefined;
  const out = [...layers];
  [out[at], out[to]] = [out[to], out[at]];
  return out;
}

/** Room for `count` more layers (a list holds at most MAX_LAYERS). */
export function hasRoom(layers: readonly LayerSpec[], count = 1): boolean {
  return layers.length + count <= MAX_LAYERS;
}

const ACTIVATION_KINDS: readonly LayerType[] = ['ReLU', 'Tanh', 'Sigmoid', 'LeakyReLU'];
const DROPOUT_STEPS = [0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
const argMax = (type: LayerType, name: string) => LAYER_RULES[type].args.find((a) => a.name === name)?.max ?? 1;

/**
 * The layer one notch bigger (dir 1) or smaller (-1), as ←/→ do: channels and features double or
 * halve, a pooling window grows or shrinks by one (a stride equal to it follows), Dropout steps
 * through 0.1 … 0.9, an activation becomes the next kind. Undefined when the layer has no size
 * (Flatten, BatchNorm, LogSoftmax) or is at its limit.
 */
export function stepLayer(layer: LayerSpec, dir: 1 | -1): LayerSpec | undefined {
  const scaled = (v: number, max: number) => clamp(dir > 0 ? v * 2 : Math.floor(v / 2), 1, max);
  let next: LayerSpec | undefined;
  switch (layer.type) {
    case 'Conv2d':
      next = { ...layer, outChannels: scaled(layer.outChannels, argMax('Conv2d', 'out_channels')) };
      break;
    case 'Linear':
      next = { ...layer, outFeatures: scaled(layer.outFeatures, argMax('Linear', 'out_features')) };
      break;
    case 'MaxPool2d':
    case 'AvgPool2d': {
      const kernelSize = clamp(layer.kernelSize + dir, 1, argMax(layer.type, 'kernel_size'));
      next = { ...layer, kernelSize, stride: layer.stride === layer.kernelSize ? kernelSize : layer.stride };
      break;
    }
    case 'Dropout': {
      const p =
        dir > 0
          ? DROPOUT_STEPS.find((v) => v > layer.p + 1e-9)
          : [...DROPOUT_STEPS].reverse().find((v) => v < layer.p - 1e-9);
      next = p === undefined ? undefined : { ...layer, p };
      break;
    }
    case 'ReLU':
    case 'Tanh':
    case 'Sigmoid':
    case 'LeakyReLU': {
      const i = ACTIVATION_KINDS.indexOf(layer.type);
      return { type: ACTIVATION_KINDS[(i + dir + ACTIVATION_KINDS.length) % ACTIVATION_KINDS.length] } as LayerSpec;
    }
    default:
      return undefined;
  }
  return next && JSON.stringify(next) !== JSON.stringify(layer) ? next : undefined;
}

const ACTIVATION_LAYER: Record<Exclude<Activation, 'none'>, LayerSpec> = {
  relu: { type: 'ReLU' },
  tanh: { type: 'Tanh' },
  sigmoid: { type: 'Sigmoid' },
  leaky_relu: { type: 'LeakyReLU' },
};

/**
 * The MLP form as the equivalent layer list: the seed's model is
 * `Flatten Linear(512) ReLU Linear(512) ReLU Linear(10) ReLU` (then editable layer by layer;
 * its parameters are named `layers.<i>.*` from then on). A layer list comes back as it is.
 */
export function mlpAsLayers(spec: ModelSpec): LayerSpec[] {
  if (spec.layers !== undefined) return [...spec.layers];
  const out: LayerSpec[] = [{ type: 'Flatten' }];
  const activation = (a: Activation) => (a === 'none' ? [] : [ACTIVATION_LAYER[a]]);
  for (const l of spec.hidden) {
    out.push({ type: 'Linear', outFeatures: l.units }, ...activation(l.activation));
    if (l.dropout > 0) out.push({ type: 'Dropout', p: l.dropout });
  }
  out.push({ type: 'Linear', outFeatures: 10 }, ...activation(spec.finalActivation));
  if (spec.logSoftmax) out.push({ type: 'LogSoftmax' });
  return out;
}
