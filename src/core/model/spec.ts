import { UsageError, UserError } from '../errors.js';
import { NUM_CLASSES, PIXELS } from '../dataset/types.js';
import { hasShape, tensorSize, type NamedTensors } from '../tensors.js';
import { checkLayer, formatLayers, LayerError, MAX_LAYERS, type LayerSpec } from './layers.js';
import { FLAT_INPUT, layerModules, moduleMultiplyAdds, moduleParameters, type Module } from './modules.js';

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'none'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
/** PyTorch's nn.LeakyReLU default. */
export const LEAKY_RELU_SLOPE = 0.01;

export interface HiddenLayer {
  /** Output features of this Linear layer, e.g. 512. */
  readonly units: number;
  /** Activation after the Linear layer. */
  readonly activation: Activation;
  /** Dropout probability after the activation, 0 for none. Active in training only. */
  readonly dropout: number;
}

/**
 * The model as plain, JSON-serialisable data, in one of two forms:
 * - the MLP form (the seed's): 1×28×28 input → Flatten → hidden Linear layers → Linear(…, 10)
 *   → optional final activation → optional LogSoftmax, parameters named `linear_relu_stack.<i>.*`;
 * - the layer-list form: `layers` set (then `hidden` is empty and the rest unused), any small
 *   CNN as PyTorch layers with inferred input sizes, parameters named `layers.<i>.*`.
 */
export interface ModelSpec {
  /** The layer list (the layer-list form). */
  readonly layers?: readonly LayerSpec[];
  readonly hidden: readonly HiddenLayer[];
  /** Activation after the last Linear layer: the seed's model has 'relu'; the current tutorial 'none'. */
  readonly finalActivation: Activation;
  /** Ends the model in LogSoftmax (what NLL loss expects). */
  readonly logSoftmax: boolean;
}

export const PRESETS = {
  /** Exactly the seed's NeuralNetwork, final ReLU included. */
  seed: {
    hidden: [
      { units: 512, activation: 'relu', dropout: 0 },
      { units: 512, activation: 'relu', dropout: 0 },
    ],
    finalActivation: 'relu',
    logSoftmax: false,
  },
  /** The seed's layers without the final ReLU (what the current PyTorch tutorial has). */
  recommended: {
    hidden: [
      { units: 512, activation: 'relu', dropout: 0 },
      { units: 512, activation: 'relu', dropout: 0 },
    ],
    finalActivation: 'none',
    logSoftmax: false,
  },
  /**
   * A small CNN (two Conv-BatchNorm-ReLU-pool blocks, 16/32 channels, as in the issue's PyTorch
   * reference, and Dropout(0.25) before the classifier) that reaches 92% on Fashion-MNIST with
   * its own training settings (PRESET_TRAINING).
   */
  cnn: {
    layers: [
      { type: 'Conv2d', outChannels: 16, kernelSize: 3, stride: 1, padding: 1 },
      { type: 'BatchNorm2d' },
      { type: 'ReLU' },
      { type: 'MaxPool2d', kernelSize: 2, stride: 2 },
      { type: 'Conv2d', outChannels: 32, kernelSize: 3, stride: 1, padding: 1 },
      { type: 'BatchNorm2d' },
      { type: 'ReLU' },
      { type: 'MaxPool2d', kernelSize: 2, stride: 2 },
      { type: 'Flatten' },
      { type: 'Dropout', p: 0.25 },
      { type: 'Linear', outFeatures: 128 },
      { type: 'ReLU' },
      { type: 'Linear', outFeatures: 10 },
    ],
    hidden: [],
    finalActivation: 'none',
    logSoftmax: false,
  },
  /**
   * The cnn preset twice as wide (32/64 channels, Linear(256), Dropout on both sides of it) with
   * the RECIPE issue's training recipe (PRESET_TRAINING): the `--preset best` that reaches 93.5%
   * within 15 minutes on 2 cores (sweeps in the README and preset-training.ts).
   */
  best: {
    layers: [
      { type: 'Conv2d', outChannels: 32, kernelSize: 3, stride: 1, padding: 1 },
      { type: 'BatchNorm2d' },
      { type: 'ReLU' },
      { type: 'MaxPool2d', kernelSize: 2, stride: 2 },
      { type: 'Conv2d', outChannels: 64, kernelSize: 3, stride: 1, padding: 1 },
      { type: 'BatchNorm2d' },
      { type: 'ReLU' },
      { type: 'MaxPool2d', kernelSize: 2, stride: 2 },
      { type: 'Flatten' },
      { type: 'Dropout', p: 0.25 },
      { type: 'Linear', outFeatures: 256 },
      { type: 'ReLU' },
      { type: 'Dropout', p: 0.25 },
      { type: 'Linear', outFeatures: 10 },
    ],
    hidden: [],
    finalActivation: 'none',
    logSoftmax: false,
  },
} as const satisfies Record<string, ModelSpec>;
export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export const MAX_HIDDEN_UNITS = 8192;
export const MAX_HIDDEN_LAYERS = 8;

/** Throws a UsageError naming the first problem; returns the spec otherwise. */
export function validateModelSpec(spec: ModelSpec): ModelSpec {
  if (spec !== null && typeof spec === 'object' && spec.layers !== undefined)
    return validateLayerList(spec as ModelSpec & { layers: readonly LayerSpec[] });
  if (!Array.isArray(spec.hidden)) throw new UsageError('model: hidden layers must be a list');
  if (spec.hidden.length > MAX_HIDDEN_LAYERS)
    throw new UsageError(`model: at most ${MAX_HIDDEN_LAYERS} hidden layers (got ${spec.hidden.length})`);
  spec.hidden.forEach((layer, i) => {
    const where = `hidden layer ${i + 1}`;
    if (!Number.isInteger(layer.units) || layer.units < 1 || layer.units > MAX_HIDDEN_UNITS)
      throw new UsageError(`${where}: size must be a whole number from 1 to ${MAX_HIDDEN_UNITS} (got ${layer.units})`);
    if (!ACTIVATIONS.includes(layer.activation))
      throw new UsageError(`${where}: unknown activation '${layer.activation}' (choose ${ACTIVATIONS.join(', ')})`);
    if (!(layer.dropout >= 0 && layer.dropout < 1))
      throw new UsageError(`${where}: dropout must be at least 0 and below 1 (got ${layer.dropout})`);
  });
  if (!ACTIVATIONS.includes(spec.finalActivation))
    throw new UsageError(
      `model: unknown final activation '${spec.finalActivation}' (choose ${ACTIVATIONS.join(', ')})`,
    );
  return spec;
}

/** A spec in the layer-list form, checked; throws a UsageError naming the bad layer. */
function validateLayerList(spec: ModelSpec & { layers: readonly LayerSpec[] }): ModelSpec {
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new UsageError('model: the layer list is empty');
  if (spec.layers.length > MAX_LAYERS) throw new UsageError(`model: at most ${MAX_LAYERS} layers`);
  if (spec.hidden?.length) throw new UsageError('model: a layer list has no hidden layers of the MLP form');
  try {
    spec.layers.forEach(checkLayer);
    layerModules(spec.layers);
  } catch (err) {
    if (!(err instanceof LayerError)) throw err;
    throw new UsageError(`model: layer ${err.layer + 1} (${formatLayers([spec.layers[err.layer]])}): ${err.reason}`);
  }
  return spec;
}

/** The spec is in the layer-list form (parameters `layers.<i>.*`). */
export function isLayerList(spec: ModelSpec): spec is ModelSpec & { layers: readonly LayerSpec[] } {
  return spec.layers !== undefined;
}

/** A layer-list spec. */
export function layerListSpec(layers: readonly LayerSpec[]): ModelSpec {
  return { layers: [...layers], hidden: [], finalActivation: 'none', logSoftmax: false };
}

/** One module of the model's Sequential (see modules.ts). */
export type StackModule = Module;

/**
 * The Sequential as PyTorch would number it, with every module's input and output shape:
 * parameter names follow these indices. The MLP form's modules take the flattened [784] input
 * (its Flatten is outside `linear_relu_stack`); a layer list starts from [1, 28, 28].
 */
export function stackModules(spec: ModelSpec): Module[] {
  if (isLayerList(spec)) return layerModules(spec.layers);
  const modules: Module[] = [];
  let shape: readonly number[] = FLAT_INPUT;
  type Unplaced = Module extends infer M
    ? M extends Module
      ? Omit<M, 'index' | 'name' | 'inShape' | 'outShape'>
      : never
    : never;
  const push = (m: Unplaced, outShape: readonly number[] = shape) => {
    const index = modules.length;
    modules.push({ ...m, index, name: `linear_relu_stack.${index}`, inShape: shape, outShape } as Module);
    shape = outShape;
  };
  for (const layer of spec.hidden) {
    push({ kind: 'linear', inFeatures: shape[0], outFeatures: layer.units }, [layer.units]);
    if (layer.activation !== 'none') push({ kind: 'activation', activation: layer.activation });
    if (layer.dropout > 0) push({ kind: 'dropout', p: layer.dropout });
  }
  push({ kind: 'linear', inFeatures: shape[0], outFeatures: NUM_CLASSES }, [NUM_CLASSES]);
  if (spec.finalActivation !== 'none') push({ kind: 'activation', activation: spec.finalActivation });
  if (spec.logSoftmax) push({ kind: 'log_softmax' });
  return modules;
}

export interface DropoutLayer {
  /** Sequential index of the Dropout module. */
  readonly index: number;
  readonly p: number;
  /** Values per sample of the activations it masks (masks are fed flat, [batch, units]). */
  readonly units: number;
  /** The per-sample shape of those activations. */
  readonly shape: readonly number[];
}

/** The spec's Dropout modules, each with the size of the activations it masks. */
export function dropoutLayers(spec: ModelSpec): DropoutLayer[] {
  return stackModules(spec).flatMap((m) =>
    m.kind === 'dropout' ? [{ index: m.index, p: m.p, units: tensorSize(m.inShape), shape: m.inShape }] : [],
  );
}

export interface ParameterInfo {
  /** state_dict name, e.g. `linear_relu_stack.0.weight`. */
  readonly name: string;
  readonly shape: readonly number[];
  /** Fan-in of the Linear or Conv2d layer it belongs to (for PyTorch's default init); 0 for BatchNorm. */
  readonly fanIn: number;
  /** BatchNorm's running statistics: in the state_dict, carried through training, never optimised. */
  readonly buffer?: boolean;
  /** The module kind it belongs to (init differs per kind). */
  readonly module: Module['kind'];
}

/**
 * The state_dict in PyTorch's order: weight [out, in] (Conv2d: [out, in, k, k]) then bias per
 * Linear/Conv2d; weight, bias, running_mean, running_var, num_batches_tracked per BatchNorm.
 */
export function parameterInfo(spec: ModelSpec): ParameterInfo[] {
  return stackModules(spec).flatMap((m) =>
    moduleParameters(m).map((p) => ({
      name: `${m.name}.${p.field}`,
      shape: p.shape,
      fanIn: p.fanIn,
      module: m.kind,
      ...(p.buffer ? { buffer: true } : {}),
    })),
  );
}

/** The parameters an optimizer updates (no BatchNorm running statistics). */
export function trainableParameters(spec: ModelSpec): ParameterInfo[] {
  return parameterInfo(spec).filter((p) => !p.buffer);
}

/**
 * Throws a one-line UserError unless `given` holds exactly these parameters (names and shapes):
 * what every engine and the inference-model builder accept.
 */
export function checkParameterTensors(infos: readonly ParameterInfo[], given: NamedTensors): void {
  for (const info of infos) {
    const t = given.get(info.name);
    if (!t) throw new UserError(`parameters: '${info.name}' is missing (weights saved for a different model?)`);
    if (!hasShape(t, info.shape))
      throw new UserError(
        `parameters: '${info.name}' has shape [${t.shape.join(', ')}], this model needs [${info.shape.join(', ')}]`,
      );
  }
  for (const name of given.keys())
    if (!infos.some((i) => i.name === name))
      throw new UserError(
        `parameters: '${name}' is not a parameter of this model (weights saved for a different model?)`,
      );
}

/** Trainable parameters (as torchinfo counts them: running statistics excluded). */
export function parameterCount(spec: ModelSpec): number {
  return trainableParameters(spec).reduce((n, p) => n + tensorSize(p.shape), 0);
}

/** Multiply-adds per image of the forward pass (Linear and Conv2d). */
export function multiplyAddsPerSample(spec: ModelSpec): number {
  return stackModules(spec).reduce((n, m) => n + moduleMultiplyAdds(m), 0);
}

/** Forward-pass floating-point operations per sample (a multiply-add counts as 2, plus the biases). */
export function flopsPerSample(spec: ModelSpec): number {
  let flops = 0;
  for (const m of stackModules(spec)) {
    flops += 2 * moduleMultiplyAdds(m);
    if (m.kind === 'linear' || m.kind === 'conv2d') flops += tensorSize(m.outShape);
  }
  return flops;
}

/** "784 → 512 relu → 512 relu → 10 relu"; a layer list as its flag string. */
export function describeModel(spec: ModelSpec): string {
  if (isLayerList(spec)) return formatLayers(spec.layers);
  const parts = [`${PIXELS}`];
  for (const l of spec.hidden) parts.push(`${l.units} ${l.activation}${l.dropout > 0 ? ` dropout ${l.dropout}` : ''}`);
  parts.push(
    `${NUM_CLASSES}${spec.finalActivation !== 'none' ? ` ${spec.finalActivation}` : ''}${spec.logSoftmax ? ' log_softmax' : ''}`,
  );
  return parts.join(' → ');
}
