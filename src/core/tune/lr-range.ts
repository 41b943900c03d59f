/**
 * The learning-rate range test (Smith 2015, fastai's `lr_find`) as pure maths:
 * the exponential learning-rate ramp, the bias-corrected smoothing of the loss,
 * the stop rule and the suggestions. The part that drives an engine is src/tune/lr-finder.ts.
 */

/** fastai's smoothing factor for the loss curve. */
export const DEFAULT_SMOOTHING_BETA = 0.98;
/** Stop once the smoothed loss exceeds this many times its minimum (fastai: 4). */
export const DEFAULT_DIVERGENCE_FACTOR = 4;

/** The learning rate of step `step` (0-based) of `steps`, growing exponentially from startLr to endLr. */
export function rangeTestLearningRate(startLr: number, endLr: number, steps: number, step: number): number {
  if (steps <= 1) return startLr;
  return startLr * Math.pow(endLr / startLr, step / (steps - 1));
}

/** All learning rates of the ramp. */
export function rangeTestSchedule(startLr: number, endLr: number, steps: number): Float64Array {
  const lrs = new Float64Array(steps);
  for (let i = 0; i < steps; i++) lrs[i] = rangeTestLearningRate(startLr, endLr, steps, i);
  return lrs;
}

/**
 * Exponential moving average with bias correction (Adam-style), as fastai smooths the
 * range test: avg ← β·avg + (1−β)·loss; smoothed = avg / (1 − β^(n)).
 * Feed one loss at a time: the finder decides after every step whether to stop.
 */
export class LossSmoother {
  private avg = 0;
  private n = 0;
  constructor(readonly beta = DEFAULT_SMOOTHING_BETA) {}
  push(loss: number): number {
    this.n++;
    this.avg = this.beta * this.avg + (1 - this.beta) * loss;
    return this.avg / (1 - Math.pow(this.beta, this.n));
  }
}

/** Smooth a whole curve at once. */
export function smoothLosses(losses: ArrayLike<number>, beta = DEFAULT_SMOOTHING_BETA): Float64Array {
  const s = new LossSmoother(beta);
  const out = new Float64Array(losses.length);
  for (let i = 0; i < losses.length; i++) out[i] = s.push(losses[i]);
  return out;
}

/** True when the test should stop: the loss is not finite or the smoothed loss diverged. */
export function hasDiverged(
  rawLoss: number,
  smoothed: number,
  bestSmoothed: number,
  factor = DEFAULT_DIVERGENCE_FACTOR,
): boolean {
  return !Number.isFinite(rawLoss) || !Number.isFinite(smoothed) || smoothed > factor * bestSmoothed;
}

export interface LearningRateSuggestion {
  /** What to use: the minimum / 10, or the steepest descent when the loss never turned up. */
  readonly learningRate: number;
  readonly method: 'steepest' | 'minimum/10';
  /** Learning rate where the smoothed loss falls fastest (per decade of learning rate). */
  readonly steepest: number;
  /** The learning rate at the smoothed loss's minimum, divided by 10. */
  readonly minimumOver10: number;
  /** The smoothed loss's minimum and where it is. */
  readonly minimum: { readonly learningRate: number; readonly loss: number };
}

/**
 * Suggestions from a (learning rate, smoothed loss) curve.
 * - minimum/10: fastai's classic rule of thumb (the minimum is already too high to train at).
 * - steepest: argmin of d(smoothed loss)/d(log10 lr), searched up to the minimum (beyond it the
 *   loss rises, so a steep fall there is noise).
 * The first tenth of the curve is ignored for both (fastai does the same): the bias-corrected
 * average is still settling there.
 * minimum/10 is the suggestion (the EMA lags the ramp, so the steepest point of the smoothed curve
 * sits late, near the edge of stability); when the minimum is the last point (the loss never rose)
 * the steepest point is suggested instead.
 * Returns undefined when the curve is too short to say anything (fewer than 5 points).
 */
export function suggestLearningRate(
  lrs: ArrayLike<number>,
  smoothed: ArrayLike<number>,
): LearningRateSuggestion | undefined {
  const n = Math.min(lrs.length, smoothed.length);
  if (n < 5) return undefined;
  // Like fastai, ignore the first tenth: the bias-corrected average is still settling there.
  const skip = Math.floor(n / 10);
  let iMin = skip;
  for (let i = skip + 1; i < n; i++) if (smoothed[i] < smoothed[iMin]) iMin = i;
  const minLr = lrs[iMin];
  let iSteep = -1;
  let best = Infinity;
  for (let i = skip; i < iMin; i++) {
    const slope = (smoothed[i + 1] - smoothed[i]) / (Math.log10(lrs[i + 1]) - Math.log10(lrs[i]));
    if (slope < best) {
      best = slope;
      iSteep = i;
    }
  }
  // Between two points: the geometric mean of their learning rates.
  const steepest = iSteep >= 0 ? Math.sqrt(lrs[iSteep] * lrs[iSteep + 1]) : minLr / 10;
  const minimumOver10 = minLr / 10;
  // A minimum at the very end means the loss never turned up: minimum/10 would only echo the range's end.
  const useSteepest = iMin >= n - 2 && iSteep >= 0;
  return {
    learningRate: useSteepest ? steepest : minimumOver10,
    method: useSteepest ? 'steepest' : 'minimum/10',
    steepest,
    minimumOver10,
    minimum: { learningRate: minLr, loss: smoothed[iMin] },
  };
}
