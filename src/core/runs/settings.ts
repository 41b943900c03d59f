/**
 * A run's settings as flat "name → value" pairs (pure), to show what differs from the defaults
 * (`runs`) or between runs (`runs compare`). Generic over the hyperparameters object, so
 * settings added later (a val split, augmentation…) show up without a change here.
 */
import { describeModel, PRESETS, type ModelSpec } from '../model/spec.js';
import { OPTIMIZER_DEFAULTS, SEED_HYPERPARAMETERS, type Hyperparameters } from '../train/hyperparameters.js';

export type Settings = ReadonlyMap<string, string>;

/** Short names for the common fields; others keep their own name. */
const NAMES: Record<string, string> = { learningRate: 'lr', batchSize: 'batch', labelSmoothing: 'label smoothing' };

function format(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return JSON.stringify(v);
}

function flatten(obj: Record<string, unknown>, prefix: string, out: Map<string, string>): void {
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${key}` : (NAMES[key] ?? key);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const { kind, ...rest } = value as Record<string, unknown>;
      if (kind !== undefined) out.set(name, format(kind));
      flatten(rest, name, out);
    } else if (value !== undefined) out.set(name, format(value));
  }
}

/** The model: a preset's name when it is one, else its layers. */
export function modelName(spec: ModelSpec): string {
  for (const [name, preset] of Object.entries(PRESETS))
    if (JSON.stringify(preset) === JSON.stringify({ ...spec, layers: undefined })) return name;
  return describeModel(spec);
}

/** Every setting of a run: 'model', then the hyperparameters flattened ('optimizer', 'optimizer.beta1', 'lr', …). */
export function runSettings(spec: ModelSpec | undefined, hp: Hyperparameters | undefined): Settings {
  const out = new Map<string, string>();
  if (spec) out.set('model', modelName(spec));
  if (hp) flatten(hp as unknown as Record<string, unknown>, '', out);
  return out;
}

/** Values that say "off" — a setting that is absent from the defaults but has one of these is not news. */
const NEUTRAL = new Set(['0', 'off', '']);

/**
 * Settings that differ from a fresh `fmnist-tui train` (the seed's hyperparameters, the run's
 * optimizer at torch's defaults). 'epochs' and 'model' are left out: listings show them apart.
 */
export function nonDefaultSettings(spec: ModelSpec | undefined, hp: Hyperparameters | undefined): [string, string][] {
  if (!hp) return [];
  const own = runSettings(spec, hp);
  const kind = hp.optimizer?.kind;
  const optimizer = kind && kind in OPTIMIZER_DEFAULTS ? OPTIMIZER_DEFAULTS[kind] : SEED_HYPERPARAMETERS.optimizer;
  const defaults = new Map(runSettings(undefined, { ...SEED_HYPERPARAMETERS, optimizer }));
  defaults.set('optimizer', SEED_HYPERPARAMETERS.optimizer.kind); // the kind against sgd, its options against its own defaults
  return [...own].filter(
    ([k, v]) => k !== 'epochs' && k !== 'model' && (defaults.has(k) ? defaults.get(k) !== v : !NEUTRAL.has(v)),
  );
}

/** "optimizer=adam lr=0.003 shuffle=on" (or "defaults"). */
export function formatSettings(pairs: readonly [string, string][]): string {
  return pairs.length === 0 ? 'defaults' : pairs.map(([k, v]) => `${k.replace(/ /g, '-')}=${v}`).join(' ');
}

/**
 * Names whose values are not all the same across runs. A top-level name missing from a run counts
 * as a value; an option ('optimizer.beta1') is compared only among the runs that have it, so
 * Adam's betas do not show up just because another run used SGD (the 'optimizer' row says that).
 * 'epochs' is left out: comparisons show it with the results.
 */
export function differingSettings(runs: readonly Settings[]): string[] {
  const names = [...new Set(runs.flatMap((r) => [...r.keys()]))].filter((n) => n !== 'epochs');
  return names.filter((n) => {
    const values = n.includes('.')
      ? runs.filter((r) => r.has(n)).map((r) => r.get(n))
      : runs.map((r) => r.get(n) ?? '–');
    return new Set(values).size > 1;
  });
}
