import { UsageError } from '../errors.js';
import { mulberry32, permutation, deriveSeed } from '../random.js';
import {
  PRESETS,
  PRESET_NAMES,
  MAX_HIDDEN_LAYERS,
  MAX_HIDDEN_UNITS,
  type ModelSpec,
  type PresetName,
} from '../model/spec.js';
import { OPTIMIZERS, type OptimizerName } from '../train/hyperparameters.js';
import { recipeChoices, validateRecipeSpace, type RecipeSpace, type TrialRecipe } from './recipe-space.js';

export const SEARCH_MODES = ['random', 'grid'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** A log-uniform learning-rate range, min ≤ max (equal: a single value). */
export interface LearningRateRange {
  readonly min: number;
  readonly max: number;
}

/** What the search may choose from. */
export interface SearchSpace {
  /** Model families: 'seed' ends in ReLU, 'recommended' does not. */
  readonly presets: readonly PresetName[];
  /** Hidden layer sizes to try (each a list, e.g. [512, 512]); empty: each preset's own. */
  readonly hidden: readonly (readonly number[])[];
  readonly optimizers: readonly OptimizerName[];
  readonly batchSizes: readonly number[];
  /** Learning-rate range per optimizer (good ranges differ by orders of magnitude between SGD and Adam). */
  readonly learningRates: Readonly<Record<OptimizerName, LearningRateRange>>;
  /** Grid mode: learning rates per optimizer, log-spaced over its range. */
  readonly gridLearningRates: number;
  /** Training-recipe knobs to vary (augmentation, label smoothing, schedule, weight decay); default none. */
  readonly recipe?: RecipeSpace;
}

/** Ranges where each optimizer trains this MLP without diverging or crawling (batch 32–256). */
export const DEFAULT_LEARNING_RATES: Readonly<Record<OptimizerName, LearningRateRange>> = {
  sgd: { min: 1e-2, max: 5e-1 },
  adam: { min: 1e-4, max: 3e-3 },
  rmsprop: { min: 3e-5, max: 1e-3 },
  adamw: { min: 1e-4, max: 3e-3 },
};

export const DEFAULT_SEARCH_SPACE: SearchSpace = {
  presets: ['seed', 'recommended'],
  hidden: [],
  optimizers: ['sgd', 'adam', 'rmsprop'],
  // 32 learns a little more per epoch but costs twice as long per epoch as 128: not in the default budget.
  batchSizes: [64, 128, 256],
  learningRates: DEFAULT_LEARNING_RATES,
  gridLearningRates: 3,
};

export const MAX_TRIALS = 256;
export const LR_LIMITS = { min: 1e-8, max: 10 } as const;

/** One configuration to try. */
export interface TrialConfig {
  /** 1-based, in sampling order. */
  readonly id: number;
  readonly preset: PresetName;
  readonly hidden: readonly number[];
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly batchSize: number;
  /** The recipe choices, when the search varies any. */
  readonly recipe?: TrialRecipe;
}

/** The trial keeps its preset's hidden layer sizes. */
export function hasPresetHidden(trial: Pick<TrialConfig, 'preset' | 'hidden'>): boolean {
  const base = PRESETS[trial.preset].hidden;
  return trial.hidden.length === base.length && trial.hidden.every((u, i) => u === base[i].units);
}

/** The ModelSpec a trial trains: the preset, with its hidden sizes replaced when the search varies them. */
export function trialSpec(trial: Pick<TrialConfig, 'preset' | 'hidden'>): ModelSpec {
  const base = PRESETS[trial.preset];
  if (hasPresetHidden(trial)) return base;
  return { ...base, hidden: trial.hidden.map((units) => ({ units, activation: 'relu' as const, dropout: 0 })) };
}

/** Throws a one-line UsageError naming the first bad range or choice. */
export function validateSearchSpace(space: SearchSpace, trainSize?: number): SearchSpace {
  if (space.presets.length === 0) throw new UsageError('search: give at least one preset to try');
  for (const p of space.presets)
    if (!PRESET_NAMES.includes(p))
      throw new UsageError(`search: unknown preset '${p}' (choose ${PRESET_NAMES.join(', ')})`);
  if (space.optimizers.length === 0) throw new UsageError('search: give at least one optimizer to try');
  for (const o of space.optimizers)
    if (!OPTIMIZERS.includes(o))
      throw new UsageError(`search: unknown optimizer '${o}' (choose ${OPTIMIZERS.join(', ')})`);
  if (space.batchSizes.length === 0) throw new UsageError('search: give at least one batch size to try');
  for (const b of space.batchSizes) {
    if (!Number.isInteger(b) || b < 1)
      throw new UsageError(`search: batch sizes must be whole numbers of at least 1 (got ${b})`);
    if (trainSize !== undefined && b > trainSize)
      throw new UsageError(`search: batch size ${b} is larger than the training set (${trainSize} images)`);
  }
  if (space.hidden.length > 0 && space.presets.every((p) => (PRESETS[p] as ModelSpec).layers !== undefined))
    throw new UsageError(
      `search: hidden sizes shape the MLP presets (seed, recommended); ${space.presets.join(', ')} ` +
        `${space.presets.length === 1 ? 'is a layer list' : 'are layer lists'}: add an MLP preset or drop the hidden sizes`,
    );
  for (const h of space.hidden) {
    if (h.length === 0 || h.length > MAX_HIDDEN_LAYERS)
      throw new UsageError(`search: hidden sizes need 1 to ${MAX_HIDDEN_LAYERS} layers (got '${h.join(',')}')`);
    for (const u of h)
      if (!Number.isInteger(u) || u < 1 || u > MAX_HIDDEN_UNITS)
        throw new UsageError(
          `search: hidden layer sizes must be whole numbers from 1 to ${MAX_HIDDEN_UNITS} (got '${h.join(',')}')`,
        );
  }
  for (const o of space.optimizers) {
    const r = space.learningRates[o];
    if (!r || !(r.min > 0) || !Number.isFinite(r.max))
      throw new UsageError(`search: learning rates must be numbers above 0 (got ${r?.min} to ${r?.max} for ${o})`);
    if (r.min > r.max)
      throw new UsageError(`search: the lowest learning rate (${r.min}) is above the highest (${r.max}); swap them`);
    if (r.min < LR_LIMITS.min || r.max > LR_LIMITS.max)
      throw new UsageError(
        `search: learning rates must lie between ${LR_LIMITS.min} and ${LR_LIMITS.max} (got ${r.min} to ${r.max} for ${o})`,
      );
  }
  validateRecipeSpace(space.recipe);
  if (!Number.isInteger(space.gridLearningRates) || space.gridLearningRates < 1 || space.gridLearningRates > 20)
    throw new UsageError(
      `search: grid learning rates per optimizer must be a whole number from 1 to 20 (got ${space.gridLearningRates})`,
    );
  return space;
}

/** Round to 2 significant digits: flags people can read and retype (3.1e-3, not 0.003127…). */
export function roundLearningRate(lr: number): number {
  return Number(lr.toPrecision(2));
}

/** Hidden sizes shape the MLP presets only; a layer-list preset (cnn, best) keeps its layers. */
function hiddenChoices(space: SearchSpace, preset: PresetName): (readonly number[])[] {
  const spec: ModelSpec = PRESETS[preset];
  if (spec.layers !== undefined) return [[]];
  return space.hidden.length > 0 ? [...space.hidden] : [spec.hidden.map((l) => l.units)];
}

/** log-spaced values from min to max inclusive (one value: their geometric mean). */
export function logSpace(min: number, max: number, count: number): number[] {
  if (count === 1) return [Math.sqrt(min * max)];
  return Array.from({ length: count }, (_, i) => min * Math.pow(max / min, i / (count - 1)));
}

/**
 * Seeded random search. Categorical choices (preset × hidden × optimizer) are stratified:
 * trials cycle through the combinations in a seeded order, so 8 trials over 6 combinations
 * try every one; learning rates are Latin-hypercube samples on a log scale within each
 * combination's trials; batch sizes are drawn uniformly.
 */
export function sampleRandomTrials(space: SearchSpace, trials: number, seed: number): TrialConfig[] {
  const combos: { preset: PresetName; hidden: readonly number[]; optimizer: OptimizerName; recipe?: TrialRecipe }[] =
    [];
  const recipes = recipeChoices(space.recipe);
  for (const preset of space.presets)
    for (const hidden of hiddenChoices(space, preset))
      for (const optimizer of space.optimizers)
        for (const recipe of recipes) combos.push({ preset, hidden, optimizer, ...(space.recipe && { recipe }) });
  const order = permutation(combos.length, deriveSeed(seed, 1));
  const rand = mulberry32(deriveSeed(seed, 2));
  const assigned = Array.from({ length: trials }, (_, i) => order[i % combos.length]);
  // Latin hypercube over log lr within each combination.
  const strata = new Map<number, Uint32Array>();
  const seen = new Map<number, number>();
  for (const c of new Set(assigned)) {
    const m = assigned.filter((x) => x === c).length;
    strata.set(c, permutation(m, deriveSeed(seed, 100 + c)));
  }
  return assigned.map((c, i) => {
    const combo = combos[c];
    const k = seen.get(c) ?? 0;
    seen.set(c, k + 1);
    const perm = strata.get(c)!;
    const r = space.learningRates[combo.optimizer];
    const u = (perm[k] + rand()) / perm.length;
    const lr = Math.exp(Math.log(r.min) + u * (Math.log(r.max) - Math.log(r.min)));
    const batchSize = space.batchSizes[Math.floor(rand() * space.batchSizes.length)];
    return { id: i + 1, ...combo, learningRate: roundLearningRate(lr), batchSize };
  });
}

/** Every combination: presets × hidden × optimizers × batch sizes × log-spaced learning rates. */
export function gridTrials(space: SearchSpace): TrialConfig[] {
  const out: TrialConfig[] = [];
  for (const preset of space.presets)
    for (const hidden of hiddenChoices(space, preset))
      for (const optimizer of space.optimizers)
        for (const recipe of recipeChoices(space.recipe))
          for (const batchSize of space.batchSizes) {
            const r = space.learningRates[optimizer];
            const lrs = r.min === r.max ? [r.min] : logSpace(r.min, r.max, space.gridLearningRates);
            for (const lr of lrs)
              out.push({
                id: out.length + 1,
                preset,
                hidden,
                optimizer,
                batchSize,
                learningRate: roundLearningRate(lr),
                ...(space.recipe && { recipe }),
              });
          }
  return out;
}

/** The number of trials a grid would have, without building it. */
export function gridSize(space: SearchSpace): number {
  let n = 0;
  for (const preset of space.presets) n += hiddenChoices(space, preset).length;
  let lrs = 0;
  for (const o of space.optimizers) {
    const r = space.learningRates[o];
    lrs += r.min === r.max ? 1 : space.gridLearningRates;
  }
  return n * lrs * space.batchSizes.length * recipeChoices(space.recipe).length;
}

/** The trials of a search: `trials` random samples, or the whole grid. */
export function planTrials(space: SearchSpace, mode: SearchMode, trials: number, seed: number): TrialConfig[] {
  if (mode === 'grid') {
    const size = gridSize(space);
    if (size > MAX_TRIALS)
      throw new UsageError(
        `search: the grid has ${size} combinations, more than ${MAX_TRIALS}; try fewer batch sizes, optimizers or --grid-lrs`,
      );
    return gridTrials(space);
  }
  return sampleRandomTrials(space, trials, seed);
}
