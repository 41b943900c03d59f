import { UsageError } from '../core/errors.js';
import {
  ACTIVATIONS,
  type Activation,
  type HiddenLayer,
  type ModelSpec,
  validateModelSpec,
} from '../core/model/spec.js';
import type { Hyperparameters } from '../core/train/hyperparameters.js';
import type { TrainFlagValues } from './flag-lookup.js';
import { parseChoice, parseInteger, parseList, parseNumber } from './parse-args.js';
import { endsInLogSoftmax } from './rules.js';
import { layerSpecFromFlags } from './layer-flags.js';

/** One value for all layers, or one per layer. */
export function perLayer<T>(
  what: string,
  value: string | undefined,
  layers: number,
  parse: (s: string) => T,
  fallback: (i: number) => T,
): T[] {
  if (value === undefined) return Array.from({ length: layers }, (_, i) => fallback(i));
  const items = parseList(what, value, { example: '512,512' }).map(parse);
  if (items.length === 1) return Array.from({ length: layers }, () => items[0]);
  if (items.length !== layers)
    throw new UsageError(
      `${what} has ${items.length} values but there are ${layers} hidden layers (give one value, or one per layer)`,
    );
  return items;
}

export function buildSpec(values: TrainFlagValues, base: ModelSpec, loss: Hyperparameters['loss']): ModelSpec {
  const layerList = layerSpecFromFlags(values, base, loss);
  if (layerList) return layerList;
  let units = base.hidden.map((l) => l.units);
  if (values.hidden !== undefined) {
    const raw = values.hidden.trim();
    units =
      raw === '' || raw === 'none'
        ? []
        : parseList('--hidden', raw, { example: '512,512' }).map((s) => parseInteger('--hidden', s, 0));
    for (const u of units)
      if (u < 1)
        throw new UsageError(
          `--hidden: a layer size must be at least 1 (got ${u}); use --hidden none for no hidden layers`,
        );
  }
  const baseLayer = (i: number): HiddenLayer =>
    base.hidden[Math.min(i, base.hidden.length - 1)] ?? { units: 0, activation: 'relu', dropout: 0 };
  const activations = perLayer(
    '--activation',
    values.activation,
    units.length,
    (s) => parseChoice('--activation', s, ACTIVATIONS, 'relu'),
    (i) => baseLayer(i).activation,
  );
  const dropouts = perLayer(
    '--dropout',
    values.dropout,
    units.length,
    (s) => parseNumber('--dropout', s, 0),
    (i) => baseLayer(i).dropout,
  );
  const finalActivation: Activation = parseChoice(
    '--final-activation',
    values['final-activation'],
    ACTIVATIONS,
    base.finalActivation,
  );
  return validateModelSpec({
    hidden: units.map((u, i) => ({ units: u, activation: activations[i], dropout: dropouts[i] })),
    finalActivation,
    logSoftmax: endsInLogSoftmax(loss),
  });
}
