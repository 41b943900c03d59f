import { UsageError, UserError } from '../errors.js';
import { NUM_CLASSES, PIXELS } from '../dataset/types.js';
import { hasShape, tensorSize, type NamedTensors } from '../tensors.js';

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
 * The model as plain, JSON-serialisable data: 1×28×28 input → Flatten → hidden Linear
 * layers → Linear(…, 10) → optional final activation → optional LogSoftmax (for NLL loss).
 */
export interface ModelSpec {
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
} as const satisfies Record<string, ModelSpec>;
export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export const MAX_HIDDEN_UNITS = 8192;
export const MAX_HIDDEN_LAYERS = 8;

/** Throws a UsageError naming the first problem; returns the spec otherwise. */
export function validateModelSpec(spec: ModelSpec): ModelSpec {
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

/** One module of PyTorch's `linear_relu_stack` Sequential, with its index. */
export type StackModule =
  | { kind: 'linear'; index: number; inFeatures: number; outFeatures: number }
  | { kind: 'activation'; index: number; activation: Exclude<Activation, 'none'> }
  | { kind: 'dropout'; index: number; p: number }
  | { kind: 'log_softmax'; index: number };

/** The Sequential as PyTorch would number it: parameter names follow these indices. */
export function stackModules(spec: ModelSpec): StackModule[] {
  const modules: StackModule[] = [];
  let inFeatures = PIXELS;
  type Unindexed = StackModule extends infer M ? (M extends StackModule ? Omit<M, 'index'> : never) : never;
  const push = (m: Unindexed) => modules.push({ ...m, index: modules.length } as StackModule);
  for (const layer of spec.hidden) {
    push({ kind: 'linear', inFeatures, outFeatures: layer.units });
    if (layer.activation !== 'none') push({ kind: 'activation', activation: layer.activation });
    if (layer.dropout > 0) push({ kind: 'dropout', p: layer.dropout });
    inFeatures = layer.units;
  }
  push({ kind: 'linear', inFeatures, outFeatures: NUM_CLASSES });
  if (spec.finalActivation !== 'none') push({ kind: 'activation', activation: spec.finalActivation });
  if (spec.logSoftmax) push({ kind: 'log_softmax' });
  return modules;
}

export interface DropoutLayer {
  /** Sequential index of the Dropout module. */
  readonly index: number;
  readonly p: number;
  /** Width of the activations it masks. */
  readonly units: number;
}

/** The spec's Dropout modules, each with the width of the layer it follows. */
export function dropoutLayers(spec: ModelSpec): DropoutLayer[] {
  const out: DropoutLayer[] = [];
  let units = PIXELS;
  for (const m of stackModules(spec)) {
    if (m.kind === 'linear') units = m.outFeatures;
    if (m.kind === 'dropout') out.push({ index: m.index, p: m.p, units });
  }
  return out;
}

export interface ParameterInfo {
  /** state_dict name, e.g. `linear_relu_stack.0.weight`. */
  readonly name: string;
  readonly shape: readonly number[];
  /** Fan-in of the Linear layer it belongs to (for PyTorch's default init). */
  readonly fanIn: number;
}

/** Parameters in PyTorch state_dict order: weight [out, in] then bias [out] per Linear. */
export function parameterInfo(spec: ModelSpec): ParameterInfo[] {
  const out: ParameterInfo[] = [];
  for (const m of stackModules(spec)) {
    if (m.kind !== 'linear') continue;
    out.push({
      name: `linear_relu_stack.${m.index}.weight`,
      shape: [m.outFeatures, m.inFeatures],
      fanIn: m.inFeatures,
    });
    out.push({ name: `linear_relu_stack.${m.index}.bias`, shape: [m.outFeatures], fanIn: m.inFeatures });
  }
  return out;
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

export function parameterCount(spec: ModelSpec): number {
  return parameterInfo(spec).reduce((n, p) => n + tensorSize(p.shape), 0);
}

/** Forward-pass floating-point operations per sample (a multiply-add counts as 2). */
export function flopsPerSample(spec: ModelSpec): number {
  let flops = 0;
  for (const m of stackModules(spec))
    if (m.kind === 'linear') flops += 2 * m.inFeatures * m.outFeatures + m.outFeatures;
  return flops;
}

/** "784 → 512 relu → 512 relu → 10 relu" */
export function describeModel(spec: ModelSpec): string {
  const parts = [`${PIXELS}`];
  for (const l of spec.hidden) parts.push(`${l.units} ${l.activation}${l.dropout > 0 ? ` dropout ${l.dropout}` : ''}`);
  parts.push(
    `${NUM_CLASSES}${spec.finalActivation !== 'none' ? ` ${spec.finalActivation}` : ''}${spec.logSoftmax ? ' log_softmax' : ''}`,
  );
  return parts.join(' → ');
}
