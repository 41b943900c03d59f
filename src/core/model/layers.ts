// A layer of a layer-list model: its plain-data form, the rules of its arguments (PyTorch's names,
// order and defaults), checking one read from a file, and writing it in the --layers syntax.

/**
 * One layer of a layer-list model, as plain data, with PyTorch's names and defaults. Input
 * sizes are not stored: they are inferred from the layer before (like torch's Lazy modules).
 */
export type LayerSpec =
  | {
      readonly type: 'Conv2d';
      readonly outChannels: number;
      readonly kernelSize: number;
      readonly stride: number;
      readonly padding: number;
    }
  | { readonly type: 'MaxPool2d' | 'AvgPool2d'; readonly kernelSize: number; readonly stride: number }
  | { readonly type: 'Linear'; readonly outFeatures: number }
  | { readonly type: 'Dropout'; readonly p: number }
  | {
      readonly type:
        | 'BatchNorm2d'
        | 'BatchNorm1d'
        | 'Flatten'
        | 'ReLU'
        | 'Tanh'
        | 'Sigmoid'
        | 'LeakyReLU'
        | 'LogSoftmax';
    };
export type LayerType = LayerSpec['type'];

export interface ArgumentRule {
  readonly name: string;
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
  /** Exclusive upper bound (Dropout's p < 1). */
  readonly below?: boolean;
}
interface LayerRule {
  /** Positional order, as in PyTorch's constructor (without in_channels / in_features). */
  readonly args: readonly ArgumentRule[];
  /** How many leading arguments are required. */
  readonly required: number;
}

const int = (name: string, min: number, max: number): ArgumentRule => ({ name, integer: true, min, max });
export const MAX_CHANNELS = 1024;
export const MAX_FEATURES = 8192;
export const MAX_LAYERS = 64;

/** Every layer kind with its arguments, in PyTorch's order. */
export const LAYER_RULES: Readonly<Record<LayerType, LayerRule>> = {
  Conv2d: {
    args: [
      int('out_channels', 1, MAX_CHANNELS),
      int('kernel_size', 1, 28),
      int('stride', 1, 28),
      int('padding', 0, 14),
    ],
    required: 2,
  },
  MaxPool2d: { args: [int('kernel_size', 1, 28), int('stride', 1, 28)], required: 1 },
  AvgPool2d: { args: [int('kernel_size', 1, 28), int('stride', 1, 28)], required: 1 },
  BatchNorm2d: { args: [], required: 0 },
  BatchNorm1d: { args: [], required: 0 },
  Dropout: { args: [{ name: 'p', integer: false, min: 0, max: 1, below: true }], required: 0 },
  Flatten: { args: [], required: 0 },
  Linear: { args: [int('out_features', 1, MAX_FEATURES)], required: 1 },
  ReLU: { args: [], required: 0 },
  Tanh: { args: [], required: 0 },
  Sigmoid: { args: [], required: 0 },
  LeakyReLU: { args: [], required: 0 },
  LogSoftmax: { args: [], required: 0 },
};
export const LAYER_TYPES = Object.keys(LAYER_RULES) as LayerType[];

/** A problem with one layer of a list: `layer` is its position (0-based). */
export class LayerError extends Error {
  constructor(
    readonly layer: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'LayerError';
  }
}

/** Checks a layer's fields against its rules (for specs read from files); throws LayerError. */
export function checkLayer(layer: LayerSpec, position: number): void {
  const rule = (LAYER_RULES as Record<string, LayerRule | undefined>)[layer?.type];
  if (!rule)
    throw new LayerError(position, `'${String(layer?.type)}' is not a layer (choose ${LAYER_TYPES.join(', ')})`);
  const values = layerArguments(layer);
  rule.args.forEach((a, i) => checkArgument(a, values[i], position));
}

/** Checks one argument's value against its rule; throws LayerError. */
export function checkArgument(rule: ArgumentRule, value: number, position: number): void {
  const range = rule.below ? `at least ${rule.min} and below ${rule.max}` : `from ${rule.min} to ${rule.max}`;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    value >= rule.min &&
    (rule.below ? value < rule.max : value <= rule.max);
  if (!ok)
    throw new LayerError(
      position,
      `${rule.name} must be ${rule.integer ? 'a whole number ' : ''}${range} (got ${String(value)})`,
    );
}

/** The layer's argument values in positional order. */
function layerArguments(layer: LayerSpec): number[] {
  switch (layer.type) {
    case 'Conv2d':
      return [layer.outChannels, layer.kernelSize, layer.stride, layer.padding];
    case 'MaxPool2d':
    case 'AvgPool2d':
      return [layer.kernelSize, layer.stride];
    case 'Linear':
      return [layer.outFeatures];
    case 'Dropout':
      return [layer.p];
    default:
      return [];
  }
}

/**
 * The layer as the flag syntax writes it, defaults left out: `Conv2d(32,3,padding=1)`,
 * `MaxPool2d(2)`, `Dropout(0.25)`, `ReLU`.
 */
export function formatLayer(layer: LayerSpec): string {
  const rule = (LAYER_RULES as Record<string, LayerRule | undefined>)[layer?.type];
  if (!rule) return String(layer?.type);
  const values = layerArguments(layer);
  const defaults = defaultsOf(layer);
  const parts: string[] = [];
  rule.args.forEach((a, i) => {
    // Required arguments (and a lone one) by position, the optional ones by name unless default.
    if (i < rule.required) parts.push(`${values[i]}`);
    else if (rule.args.length === 1 && defaults[a.name] !== values[i]) parts.push(`${values[i]}`);
    else if (defaults[a.name] !== values[i]) parts.push(`${a.name}=${values[i]}`);
  });
  return parts.length === 0 ? layer.type : `${layer.type}(${parts.join(',')})`;
}

function defaultsOf(layer: LayerSpec): Record<string, number> {
  switch (layer.type) {
    case 'Conv2d':
      return { stride: 1, padding: 0 };
    case 'MaxPool2d':
    case 'AvgPool2d':
      return { stride: layer.kernelSize };
    case 'Dropout':
      return { p: 0.5 };
    default:
      return {};
  }
}

/** The whole list in the flag syntax, layers separated by one space. */
export function formatLayers(layers: readonly LayerSpec[]): string {
  return layers.map(formatLayer).join(' ');
}
