import { UsageError } from '../errors.js';
import { MAX_TRIALS } from './search-space.js';

export const MAX_EPOCHS_PER_TRIAL = 100;

/** The budget of a search: how many configurations, how long the best of them may train. */
export interface SearchBudget {
  /** Configurations tried (random mode; a grid has as many as it has combinations). */
  readonly trials: number;
  /** Epochs the surviving trials reach. */
  readonly epochs: number;
  /** Successive halving: keep the best 1/eta of the trials after each rung. Off: every trial trains all epochs. */
  readonly halving: boolean;
  /** Reduction factor between rungs (2: keep the top half). */
  readonly eta: number;
  /** Train on a class-balanced subset of this many images (undefined: the whole training set). */
  readonly subset?: number;
}

// 8 trials: every model × optimizer pair at least once; 8@1 → 4@2 → 2@3 epochs = 14 epochs of training.
export const DEFAULT_BUDGET: SearchBudget = { trials: 8, epochs: 3, halving: true, eta: 2 };

/** One rung: `trials` trials are trained until they have `epochs` epochs behind them, then ranked. */
export interface Rung {
  readonly epochs: number;
  readonly trials: number;
}

/** Throws a one-line UsageError naming the first bad budget value. */
export function validateBudget(budget: SearchBudget, trainSize?: number): SearchBudget {
  const { trials, epochs, eta, subset } = budget;
  if (!Number.isInteger(trials) || trials < 1 || trials > MAX_TRIALS)
    throw new UsageError(`budget: trials must be a whole number from 1 to ${MAX_TRIALS} (got ${trials})`);
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > MAX_EPOCHS_PER_TRIAL)
    throw new UsageError(`budget: epochs must be a whole number from 1 to ${MAX_EPOCHS_PER_TRIAL} (got ${epochs})`);
  if (!Number.isInteger(eta) || eta < 2 || eta > 10)
    throw new UsageError(`budget: the halving factor must be a whole number from 2 to 10 (got ${eta})`);
  if (subset !== undefined) {
    if (!Number.isInteger(subset) || subset < 10)
      throw new UsageError(
        `budget: the subset must be a whole number of at least 10 images, one per class (got ${subset})`,
      );
    if (trainSize !== undefined && subset > trainSize)
      throw new UsageError(
        `budget: the subset (${subset} images) is larger than the training set (${trainSize} images)`,
      );
  }
  return budget;
}

/**
 * Successive halving's rungs: all trials train 1 epoch, the best 1/eta continue to eta epochs,
 * the best 1/eta of those to eta² … until `epochs` is reached (the last rung may hold a
 * single trial: the winner, trained to the full budget so its figures are comparable).
 * Without halving: one rung, every trial trains all epochs.
 */
export function halvingPlan(budget: Pick<SearchBudget, 'epochs' | 'halving' | 'eta'>, trials: number): Rung[] {
  if (!budget.halving || trials <= 1) return [{ epochs: budget.epochs, trials }];
  const rungs: Rung[] = [];
  let n = trials;
  let e = 1;
  for (;;) {
    const epochs = Math.min(budget.epochs, e);
    rungs.push({ epochs, trials: n });
    if (epochs >= budget.epochs) return rungs;
    n = Math.max(1, Math.floor(n / budget.eta));
    e *= budget.eta;
  }
}

/** Epochs of training the plan costs in total (each trial's epochs summed). */
export function planEpochs(rungs: readonly Rung[]): number {
  let total = 0;
  let prev = 0;
  for (const r of rungs) {
    total += r.trials * (r.epochs - prev);
    prev = r.epochs;
  }
  return total;
}

/** How a trial ranks: higher accuracy first, then lower loss, then the earlier trial; broken trials last. */
export interface Rankable {
  readonly id: number;
  readonly testAccuracy?: number;
  readonly testLoss?: number;
  readonly diverged?: boolean;
}

export function compareTrials(a: Rankable, b: Rankable): number {
  const bad = (r: Rankable) => (r.diverged || r.testAccuracy === undefined || !Number.isFinite(r.testAccuracy) ? 1 : 0);
  if (bad(a) !== bad(b)) return bad(a) - bad(b);
  if (bad(a)) return a.id - b.id;
  const acc = (b.testAccuracy ?? 0) - (a.testAccuracy ?? 0);
  if (acc !== 0 && Number.isFinite(acc)) return acc;
  const la = Number.isFinite(a.testLoss) ? a.testLoss! : Infinity;
  const lb = Number.isFinite(b.testLoss) ? b.testLoss! : Infinity;
  if (la !== lb) return la < lb ? -1 : 1;
  return a.id - b.id;
}

/** Trials sorted best first (a new array). */
export function rankTrials<T extends Rankable>(trials: readonly T[]): T[] {
  return [...trials].sort(compareTrials);
}

/** The ids that go on to the next rung: the best `keep`, never a diverged trial. */
export function survivors(results: readonly Rankable[], keep: number): number[] {
  return rankTrials(results)
    .filter((r) => !r.diverged && r.testAccuracy !== undefined && Number.isFinite(r.testAccuracy))
    .slice(0, keep)
    .map((r) => r.id);
}
