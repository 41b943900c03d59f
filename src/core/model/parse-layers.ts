// The --layers syntax read: layers separated by spaces, each `Name` or `Name(args)`; a bad layer is
// a LayerError, drawn with a caret under it for a flag.
import { UsageError } from '../errors.js';
import {
  type ArgumentRule,
  checkArgument,
  LAYER_RULES,
  LAYER_TYPES,
  LayerError,
  type LayerSpec,
  type LayerType,
  MAX_LAYERS,
} from './layers.js';

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
