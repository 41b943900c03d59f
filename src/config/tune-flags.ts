// The flags of `fmnist-tui tune`: train's (config/flags.ts) and the search's own, and which mode takes which.
import { RECIPE_SCHEDULES, type RecipeSpace } from '../core/tune/recipe-space.js';
import { UsageError } from '../core/errors.js';
import { PRESET_NAMES, type PresetName } from '../core/model/spec.js';
import { OPTIMIZERS, type OptimizerName } from '../core/train/hyperparameters.js';
import { DEFAULT_BUDGET, validateBudget, type SearchBudget } from '../core/tune/halving.js';
import {
  DEFAULT_SEARCH_SPACE,
  SEARCH_MODES,
  validateSearchSpace,
  type SearchMode,
  type SearchSpace,
} from '../core/tune/search-space.js';
import { parseChoice, parseInteger, parseList, parseNumber, TRAIN_FLAG_OPTIONS, trainFlagsWhere } from './index.js';

/** Epochs in the `fmnist-tui train` command printed for the best trial (the seed's 10). */
export const DEFAULT_FINAL_EPOCHS = 10;

/** The train flags tune takes (all but --save, --resume and --force). */
const TRAIN_FLAGS_FOR_TUNE = Object.fromEntries(
  trainFlagsWhere((spec) => spec.tune !== 'none').map((name) => [name, TRAIN_FLAG_OPTIONS[name]]),
) as Omit<typeof TRAIN_FLAG_OPTIONS, 'save' | 'resume' | 'force'>;

export const TUNE_FLAG_OPTIONS = {
  ...TRAIN_FLAGS_FOR_TUNE,
  'lr-find': { type: 'boolean' },
  'start-lr': { type: 'string' },
  'end-lr': { type: 'string' },
  steps: { type: 'string' },
  ascii: { type: 'boolean' },
  trials: { type: 'string' },
  eta: { type: 'string' },
  'no-halving': { type: 'boolean' },
  subset: { type: 'string' },
  holdout: { type: 'string' },
  mode: { type: 'string' },
  'grid-lrs': { type: 'string' },
  presets: { type: 'string' },
  optimizers: { type: 'string' },
  'batch-sizes': { type: 'string' },
  'hidden-sizes': { type: 'string' },
  augments: { type: 'string' },
  'label-smoothings': { type: 'string' },
  schedules: { type: 'string' },
  'weight-decays': { type: 'string' },
  'lr-min': { type: 'string' },
  'lr-max': { type: 'string' },
  'final-epochs': { type: 'string' },
  'save-default': { type: 'boolean' },
} as const;
export type TuneFlagName = keyof typeof TUNE_FLAG_OPTIONS;
export type TuneFlagValues = {
  [K in TuneFlagName]?: (typeof TUNE_FLAG_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** Flags of the finder only (the train flags it takes: config/flags.ts), and of the search only; the rest serve both. */
const LR_FIND_ONLY: readonly TuneFlagName[] = [
  'start-lr',
  'end-lr',
  'steps',
  'ascii',
  ...(trainFlagsWhere((spec) => (spec.tune ?? 'lr-find') === 'lr-find') as TuneFlagName[]),
];
const SEARCH_ONLY: readonly TuneFlagName[] = [
  'trials',
  'epochs',
  'eta',
  'no-halving',
  'subset',
  'holdout',
  'mode',
  'grid-lrs',
  'presets',
  'optimizers',
  'batch-sizes',
  'hidden-sizes',
  'augments',
  'label-smoothings',
  'schedules',
  'weight-decays',
  'lr-min',
  'lr-max',
  'final-epochs',
];
/** What to use in the search instead of a finder-only flag. */
const SEARCH_INSTEAD: Partial<Record<TuneFlagName, string>> = {
  preset: '--presets',
  optimizer: '--optimizers',
  'batch-size': '--batch-sizes',
  hidden: '--hidden-sizes',
  lr: '--lr-min and --lr-max',
};

const HELP_POINTER = "(see 'fmnist-tui tune --help')";

/** The search space and budget from flags; every bad value is one line. */
export function searchSettingsFromValues(values: TuneFlagValues): {
  space: SearchSpace;
  budget: SearchBudget;
  mode: SearchMode;
  seed: number;
  finalEpochs: number;
  /** Score on this many held-out training images instead of the test set. */
  holdout?: number;
} {
  const seed = parseInteger('--seed', values.seed, 0);
  if (seed < 0) throw new UsageError(`--seed must be a whole number of at least 0 (got ${seed})`);
  const mode = parseChoice('--mode', values.mode, SEARCH_MODES, 'random');
  const presets =
    values.presets === undefined
      ? DEFAULT_SEARCH_SPACE.presets
      : parseList('--presets', values.presets).map((p) =>
          parseChoice('--presets', p, PRESET_NAMES, 'seed' as PresetName),
        );
  const optimizers =
    values.optimizers === undefined
      ? DEFAULT_SEARCH_SPACE.optimizers
      : parseList('--optimizers', values.optimizers).map((o) =>
          parseChoice('--optimizers', o, OPTIMIZERS, 'sgd' as OptimizerName),
        );
  const batchSizes =
    values['batch-sizes'] === undefined
      ? DEFAULT_SEARCH_SPACE.batchSizes
      : parseList('--batch-sizes', values['batch-sizes']).map((b) => parseInteger('--batch-sizes', b, 0));
  const hidden =
    values['hidden-sizes'] === undefined
      ? DEFAULT_SEARCH_SPACE.hidden
      : parseList('--hidden-sizes', values['hidden-sizes'], { separator: '/' }).map((model) =>
          parseList('--hidden-sizes', model).map((u) => parseInteger('--hidden-sizes', u, 0)),
        );
  let learningRates = DEFAULT_SEARCH_SPACE.learningRates;
  if (values['lr-min'] !== undefined || values['lr-max'] !== undefined) {
    if (values['lr-min'] === undefined || values['lr-max'] === undefined)
      throw new UsageError(`give both --lr-min and --lr-max (one range for every optimizer) ${HELP_POINTER}`);
    const range = {
      min: parseNumber('--lr-min', values['lr-min'], 0),
      max: parseNumber('--lr-max', values['lr-max'], 0),
    };
    learningRates = { sgd: range, adam: range, rmsprop: range, adamw: range };
  }
  const gridLearningRates = parseInteger('--grid-lrs', values['grid-lrs'], DEFAULT_SEARCH_SPACE.gridLearningRates);
  const recipe = recipeSpaceFromValues(values);
  const space = validateSearchSpace({
    presets,
    hidden,
    optimizers,
    batchSizes,
    learningRates,
    gridLearningRates,
    ...(recipe && { recipe }),
  });
  const budget: SearchBudget = {
    trials: parseInteger('--trials', values.trials, DEFAULT_BUDGET.trials),
    epochs: parseInteger('--epochs', values.epochs, DEFAULT_BUDGET.epochs),
    eta: parseInteger('--eta', values.eta, DEFAULT_BUDGET.eta),
    halving: !(values['no-halving'] ?? false),
    subset: values.subset === undefined ? undefined : parseInteger('--subset', values.subset, 0),
  };
  if (mode === 'grid' && values.trials !== undefined)
    throw new UsageError(`--trials applies to --mode random; a grid tries every combination ${HELP_POINTER}`);
  validateBudget(budget);
  const holdout = values.holdout === undefined ? undefined : parseInteger('--holdout', values.holdout, 0);
  if (holdout !== undefined && holdout < 10)
    throw new UsageError(`--holdout must be a whole number of at least 10 images, one per class (got ${holdout})`);
  const finalEpochs = parseInteger('--final-epochs', values['final-epochs'], DEFAULT_FINAL_EPOCHS);
  if (finalEpochs < 1) throw new UsageError(`--final-epochs must be a whole number of at least 1 (got ${finalEpochs})`);
  return { space, budget, mode, seed, finalEpochs, holdout };
}

/** --augments off,on, --label-smoothings 0,0.1, --schedules constant,onecycle, --weight-decays 0,1e-4. */
function recipeSpaceFromValues(values: TuneFlagValues): RecipeSpace | undefined {
  const numbers = (flag: 'label-smoothings' | 'weight-decays') =>
    values[flag] === undefined
      ? undefined
      : parseList(`--${flag}`, values[flag]).map((x) => parseNumber(`--${flag}`, x, 0));
  const space: RecipeSpace = {
    ...(values.augments !== undefined && {
      augment: parseList('--augments', values.augments).map(
        (x) => parseChoice('--augments', x, ['off', 'on'] as const, 'off') === 'on',
      ),
    }),
    ...(values['label-smoothings'] !== undefined && { labelSmoothing: numbers('label-smoothings') }),
    ...(values.schedules !== undefined && {
      schedules: parseList('--schedules', values.schedules).map((x) =>
        parseChoice('--schedules', x, RECIPE_SCHEDULES, 'constant'),
      ),
    }),
    ...(values['weight-decays'] !== undefined && { weightDecays: numbers('weight-decays') }),
  };
  return Object.keys(space).length > 0 ? space : undefined;
}

export function checkModeFlags(values: TuneFlagValues): void {
  const given = (Object.keys(values) as TuneFlagName[]).filter((k) => values[k] !== undefined);
  if (values['lr-find']) {
    const wrong = given.find((k) => SEARCH_ONLY.includes(k));
    if (wrong) throw new UsageError(`--${wrong} is a search flag; --lr-find runs the finder only ${HELP_POINTER}`);
  } else {
    const wrong = given.find((k) => LR_FIND_ONLY.includes(k));
    if (wrong) {
      const instead = SEARCH_INSTEAD[wrong];
      throw new UsageError(
        `--${wrong} applies to --lr-find${instead ? `; the search takes ${instead}` : ''} ${HELP_POINTER}`,
      );
    }
  }
}
