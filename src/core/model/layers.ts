import { UsageError } from '../errors.js';

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

interface ArgumentRule {
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

/** Builds a layer from its arguments (by name), filling PyTorch's defaults. */
function makeLayer(type: LayerType, args: ReadonlyMap<string, number>): LayerSpec {
  switch (type) {
    case 'Conv2d':
      return {
        type,
        outChannels: args.get('out_channels')!,
        kernelSize: args.get('kernel_size')!,
        stride: args.get('stride') ?? 1,
        padding: args.get('padding') ?? 0,
      };
    case 'MaxPool2d':
    case 'AvgPool2d': {
      const kernelSize = args.get('kernel_size')!;
      return { type, kernelSize, stride: args.get('stride') ?? kernelSize };
    }
    case 'Linear':
      return { type, outFeatures: args.get('out_features')! };
    case 'Dropout':
      return { type, p: args.get('p') ?? 0.5 };
    default:
      return { type };
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

function checkArgument(rule: ArgumentRule, value: number, position: number): void {
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

/** Where each layer sits in a parsed string (for the caret under a bad layer). */
export interface LayerToken {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Splits the flag syntax into layer tokens: a name, then an optional `(…)`, up to the next space. */
export function tokenizeLayers(text: string): LayerToken[] {
  const tokens: LayerToken[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    const start = i;
    let depth = 0;
    while (i < text.length && (depth > 0 || !/\s/.test(text[i]))) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
      i++;
    }
    tokens.push({ start, end: i, text: text.slice(start, i) });
  }
  return tokens;
}

/**
 * Parses the flag syntax: layers separated by spaces, each `Name` or `Name(args)` with
 * positional arguments in PyTorch's order and/or `name=value` ones. Names match PyTorch's
 * (any letter case). Throws a LayerError naming the layer; `layerErrorMessage` draws the caret.
 */
export function parseLayers(text: string): LayerSpec[] {
  const tokens = tokenizeLayers(text);
  if (tokens.length === 0) throw new LayerError(0, 'no layers given');
  if (tokens.length > MAX_LAYERS) throw new LayerError(MAX_LAYERS, `at most ${MAX_LAYERS} layers`);
  return tokens.map((t, position) => parseLayer(t.text, position));
}

function parseLayer(token: string, position: number): LayerSpec {
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\((.*)\))?$/s.exec(token);
  if (!m) {
    const open = (token.match(/\(/g) ?? []).length;
    const close = (token.match(/\)/g) ?? []).length;
    if (open !== close) throw new LayerError(position, 'unbalanced parenthesis');
    throw new LayerError(position, `cannot read '${token}' (write Name or Name(args); separate layers with spaces)`);
  }
  const [, name, argsText] = m;
  if (argsText !== undefined && /[()]/.test(argsText)) throw new LayerError(position, 'unbalanced parenthesis');
  const type = LAYER_TYPES.find((t) => t.toLowerCase() === name.toLowerCase());
  if (!type) throw new LayerError(position, `'${name}' is not a layer (choose ${LAYER_TYPES.join(', ')})`);
  return makeLayer(type, parseArguments(type, argsText, position));
}

function parseArguments(type: LayerType, text: string | undefined, position: number): Map<string, number> {
  const rule = LAYER_RULES[type];
  const values = new Map<string, number>();
  const items = text === undefined || text.trim() === '' ? [] : text.split(',').map((s) => s.trim());
  let keywordSeen = false;
  items.forEach((item, k) => {
    const eq = item.indexOf('=');
    let arg: ArgumentRule | undefined;
    let raw = item;
    if (eq >= 0) {
      keywordSeen = true;
      const key = item.slice(0, eq).trim();
      raw = item.slice(eq + 1).trim();
      arg = rule.args.find((a) => a.name === key);
      if (!arg)
        throw new LayerError(
          position,
          rule.args.length === 0
            ? `${type} takes no arguments`
            : `${type} has no argument '${key}' (it takes ${rule.args.map((a) => a.name).join(', ')})`,
        );
      if (values.has(arg.name)) throw new LayerError(position, `${type}: ${arg.name} given twice`);
    } else {
      if (keywordSeen) throw new LayerError(position, `${type}: a positional argument after a keyword one`);
      arg = rule.args[k];
      if (!arg)
        throw new LayerError(
          position,
          rule.args.length === 0
            ? `${type} takes no arguments`
            : `${type} takes at most ${rule.args.length} argument${rule.args.length > 1 ? 's' : ''} (${rule.args.map((a) => a.name).join(', ')})`,
        );
    }
    const value = raw === '' || !/^[-+0-9.eE]+$/.test(raw) ? Number.NaN : Number(raw);
    if (Number.isNaN(value)) throw new LayerError(position, `${type}: ${arg.name} must be a number (got '${raw}')`);
    checkArgument(arg, value, position);
    values.set(arg.name, value);
  });
  const missing = rule.args.slice(0, rule.required).find((a) => !values.has(a.name));
  if (missing)
    throw new LayerError(
      position,
      `${type} needs ${rule.args
        .slice(0, rule.required)
        .map((a) => a.name)
        .join(' and ')}, e.g. ${type}(${rule.args
        .slice(0, rule.required)
        .map((a) => (a.name === 'out_channels' ? 32 : a.name === 'out_features' ? 10 : 3))
        .join(',')})`,
    );
  return values;
}

/**
 * One message for a bad layer in a flag value: the reason on the first line, then the string
 * with a caret under the layer: `--layers: layer 2 (Conv3d): 'Conv3d' is not a layer …`.
 */
export function layerErrorMessage(flag: string, text: string, err: LayerError): string {
  const tokens = tokenizeLayers(text);
  const token = tokens[err.layer];
  const head = `${flag}: ${token ? `layer ${err.layer + 1} (${token.text})` : `layer ${err.layer + 1}`}: ${err.reason}`;
  if (!token) return head;
  const caret = ' '.repeat(token.start) + '^'.repeat(Math.max(1, token.end - token.start));
  return `${head}\n  ${text}\n  ${caret}`;
}

/** Parses a flag value (then `check`s it), or throws a UsageError with the caret message. */
export function parseLayersFlag(flag: string, text: string, check?: (layers: LayerSpec[]) => void): LayerSpec[] {
  try {
    const layers = parseLayers(text);
    check?.(layers);
    return layers;
  } catch (err) {
    if (err instanceof LayerError) throw new UsageError(layerErrorMessage(flag, text, err));
    throw err;
  }
}
