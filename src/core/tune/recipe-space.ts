import { UsageError } from '../errors.js';
import { formatLearningRate } from '../format.js';
import type { Augment } from '../train/augment.js';
import type { Hyperparameters, Schedule } from '../train/hyperparameters.js';

/** The training-recipe knobs a search may vary (each absent: the trial keeps train's default). */
export interface RecipeSpace {
  /** Augmentation off / on (on: flip,crop:2 — torchvision's RandomHorizontalFlip + RandomCrop(28, padding=2)). */
  readonly augment?: readonly boolean[];
  readonly labelSmoothing?: readonly number[];
  /** Per-step schedules over the trial's run (step needs a size: not searched). */
  readonly schedules?: readonly RecipeSchedule[];
  readonly weightDecays?: readonly number[];
}
export const RECIPE_SCHEDULES = ['constant', 'cosine', 'onecycle'] as const;
export type RecipeSchedule = (typeof RECIPE_SCHEDULES)[number];

/** One trial's recipe choices. */
export interface TrialRecipe {
  readonly augment?: boolean;
  readonly labelSmoothing?: number;
  readonly schedule?: RecipeSchedule;
  readonly weightDecay?: number;
}

/** What "augmentation on" means in a search. */
export const SEARCH_AUGMENT: Augment = { flip: true, crop: 2, erase: false };

/** Every combination of the space's choices (one empty recipe when it varies nothing). */
export function recipeChoices(space: RecipeSpace | undefined): TrialRecipe[] {
  let out: TrialRecipe[] = [{}];
  const vary = <K extends keyof TrialRecipe>(key: K, values: readonly NonNullable<TrialRecipe[K]>[] | undefined) => {
    if (!values || values.length === 0) return;
    out = out.flatMap((r) => values.map((v) => ({ ...r, [key]: v })));
  };
  vary('augment', space?.augment);
  vary('labelSmoothing', space?.labelSmoothing);
  vary('schedule', space?.schedules);
  vary('weightDecay', space?.weightDecays);
  return out;
}

export function validateRecipeSpace(space: RecipeSpace | undefined): void {
  for (const x of space?.labelSmoothing ?? [])
    if (!(x >= 0 && x <= 1)) throw new UsageError(`search: label smoothing must be between 0 and 1 (got ${x})`);
  for (const x of space?.weightDecays ?? [])
    if (!(x >= 0 && x <= 1)) throw new UsageError(`search: weight decay must be between 0 and 1 (got ${x})`);
  for (const s of space?.schedules ?? [])
    if (!RECIPE_SCHEDULES.includes(s))
      throw new UsageError(`search: unknown schedule '${s}' (choose ${RECIPE_SCHEDULES.join(', ')})`);
}

/** A trial's hyperparameters with its recipe applied. */
export function applyRecipe(hp: Hyperparameters, r: TrialRecipe | undefined): Hyperparameters {
  if (!r) return hp;
  const schedule: Schedule | undefined =
    r.schedule === undefined
      ? undefined
      : r.schedule === 'cosine'
        ? { kind: 'cosine', tMax: 0, etaMin: 0 }
        : { kind: r.schedule };
  const { augment: _a, labelSmoothing: _l, ...rest } = hp;
  return {
    ...rest,
    ...(schedule && { schedule }),
    ...(r.weightDecay !== undefined && { optimizer: { ...hp.optimizer, weightDecay: r.weightDecay } }),
    ...((r.augment ?? hp.augment) && { augment: r.augment === undefined ? hp.augment : SEARCH_AUGMENT }),
    ...((r.labelSmoothing ?? hp.labelSmoothing) && { labelSmoothing: r.labelSmoothing ?? hp.labelSmoothing }),
  };
}

/** The train flags of a trial's recipe (only what it sets). */
export function recipeFlags(r: TrialRecipe | undefined): string[] {
  if (!r) return [];
  return [
    ...(r.augment ? ['--augment', 'flip,crop:2'] : []),
    ...(r.labelSmoothing ? ['--label-smoothing', String(r.labelSmoothing)] : []),
    ...(r.schedule && r.schedule !== 'constant' ? ['--schedule', r.schedule] : []),
    ...(r.weightDecay ? ['--weight-decay', formatLearningRate(r.weightDecay)] : []),
  ];
}

/** A short label for the trial table: "aug ls0.1 onecycle wd1e-4". */
export function describeRecipe(r: TrialRecipe | undefined): string {
  if (!r) return '';
  return [
    r.augment ? 'aug' : '',
    r.labelSmoothing ? `ls${r.labelSmoothing}` : '',
    r.schedule && r.schedule !== 'constant' ? r.schedule : '',
    r.weightDecay ? `wd${formatLearningRate(r.weightDecay)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
