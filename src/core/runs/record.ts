/**
 * One run folder, summarised (pure): read from its metrics.json (or, when that is missing or
 * unreadable, the checkpoint's history), defensively — a folder from an older version or a
 * half-written one yields a record with notes, never an exception.
 */
import type { ModelSpec } from '../model/spec.js';
import type { EpochMetrics } from '../train/events.js';
import type { Hyperparameters } from '../train/hyperparameters.js';
import { modelName, nonDefaultSettings } from './settings.js';

export interface RunRecord {
  readonly dir: string;
  /** When the run was saved (ISO 8601), from the file's time. */
  readonly date?: string;
  readonly version?: string;
  readonly spec?: ModelSpec;
  readonly hyperparameters?: Hyperparameters;
  readonly model: string;
  /** Settings that differ from the defaults. */
  readonly settings: readonly [string, string][];
  readonly epochs: number;
  readonly best?: { readonly accuracy: number; readonly epoch: number };
  readonly finalAccuracy?: number;
  /** Training seconds (the epochs' sum). */
  readonly seconds: number;
  readonly history: readonly EpochMetrics[];
  /** Where the numbers came from. */
  readonly source: 'metrics.json' | 'checkpoint' | 'none';
  /** Things a reader should know: older version, missing files, unreadable parts. */
  readonly notes: readonly string[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
/** metrics.json writes non-finite numbers as strings ("NaN"); read them back. */
const num = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'string' ? Number(x) : NaN);

/** The epochs of a history list that carry an epoch number and a test accuracy; others are dropped. */
export function readHistory(raw: unknown): { history: EpochMetrics[]; dropped: number } {
  if (!Array.isArray(raw)) return { history: [], dropped: 0 };
  const history: EpochMetrics[] = [];
  for (const h of raw) {
    if (!isObject(h) || !Number.isInteger(h.epoch) || !Number.isFinite(num(h.testAccuracy))) continue;
    const batchLoss = Array.isArray(h.batchLoss) ? h.batchLoss.map(num).filter(Number.isFinite) : undefined;
    history.push({
      ...(h as object),
      epoch: h.epoch as number,
      trainLoss: num(h.trainLoss),
      testLoss: num(h.testLoss),
      testAccuracy: num(h.testAccuracy),
      seconds: Number.isFinite(num(h.seconds)) ? num(h.seconds) : 0,
      samplesPerSecond: num(h.samplesPerSecond),
      learningRate: num(h.learningRate),
      ...(batchLoss ? { batchLoss } : {}),
    } as EpochMetrics);
  }
  return { history, dropped: raw.length - history.length };
}

export interface RunFacts {
  readonly dir: string;
  readonly date?: string;
  /** Parsed metrics.json, or undefined when missing / unreadable (say why in notes). */
  readonly metrics?: unknown;
  /** The checkpoint's fields when metrics.json was not usable. */
  readonly checkpoint?: { spec: ModelSpec; hyperparameters: Hyperparameters; history: readonly unknown[] };
  readonly notes?: readonly string[];
  readonly currentVersion?: string;
}

export function summariseRun(facts: RunFacts): RunRecord {
  const notes = [...(facts.notes ?? [])];
  let spec: ModelSpec | undefined;
  let hp: Hyperparameters | undefined;
  let rawHistory: unknown;
  let version: string | undefined;
  let source: RunRecord['source'] = 'none';
  if (isObject(facts.metrics)) {
    source = 'metrics.json';
    const m = facts.metrics;
    version = typeof m.version === 'string' ? m.version : undefined;
    if (isObject(m.spec) && Array.isArray(m.spec.hidden)) spec = m.spec as unknown as ModelSpec;
    if (isObject(m.hyperparameters)) hp = m.hyperparameters as unknown as Hyperparameters;
    rawHistory = m.history;
    if (!Array.isArray(m.history)) notes.push('metrics.json has no history');
  } else if (facts.checkpoint) {
    source = 'checkpoint';
    spec = facts.checkpoint.spec;
    hp = facts.checkpoint.hyperparameters;
    rawHistory = facts.checkpoint.history;
  }
  if (version && facts.currentVersion && version !== facts.currentVersion)
    notes.unshift(`saved by fmnist-tui ${version}`);
  const { history, dropped } = readHistory(rawHistory);
  if (dropped > 0) notes.push(`${dropped} unreadable epoch${dropped === 1 ? '' : 's'} in the history`);
  let best: RunRecord['best'];
  for (const h of history)
    if (!best || h.testAccuracy > best.accuracy) best = { accuracy: h.testAccuracy, epoch: h.epoch };
  let model = '?';
  try {
    if (spec) model = modelName(spec);
  } catch {
    notes.push('the model spec is unreadable');
  }
  let settings: [string, string][] = [];
  try {
    settings = nonDefaultSettings(spec, hp);
  } catch {
    notes.push('the hyperparameters are unreadable');
  }
  return {
    dir: facts.dir,
    date: facts.date,
    version,
    spec,
    hyperparameters: hp,
    model,
    settings,
    epochs: history.length > 0 ? Math.max(...history.map((h) => h.epoch)) : 0,
    best,
    finalAccuracy: history.at(-1)?.testAccuracy,
    seconds: history.reduce((s, h) => s + h.seconds, 0),
    history,
    source,
    notes,
  };
}
