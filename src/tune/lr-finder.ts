import { UsageError } from '../core/errors.js';
import type { Split } from '../core/dataset/types.js';
import type { Engine, TrainBatch } from '../core/train/engine.js';
import { cloneTensors } from '../core/tensors.js';
import { deriveSeed, permutation } from '../core/random.js';
import {
  DEFAULT_DIVERGENCE_FACTOR,
  DEFAULT_SMOOTHING_BETA,
  LossSmoother,
  hasDiverged,
  rangeTestLearningRate,
  suggestLearningRate,
  type LearningRateSuggestion,
} from '../core/tune/lr-range.js';
import { gatherBatch } from './batches.js';

export interface LrFinderOptions {
  /** The engine to probe, holding the weights and optimizer to test; both are restored afterwards. */
  readonly engine: Engine;
  readonly train: Split;
  readonly batchSize: number;
  /** Default 1e-7. */
  readonly startLr?: number;
  /** Default 10. */
  readonly endLr?: number;
  /** Optimizer steps of the ramp (default 200; stops earlier when the loss diverges). */
  readonly steps?: number;
  /** Seeds the order of the examples (and dropout). Default 0. */
  readonly seed?: number;
  /** Default 0.98 (fastai). */
  readonly beta?: number;
  /** Stop once the smoothed loss exceeds this multiple of its minimum (default 4). */
  readonly divergenceFactor?: number;
  /** Steps handed to the engine per call: smaller reacts sooner to divergence, larger is faster. Default 10. */
  readonly stepsPerCall?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: LrFinderProgress) => void;
}

export interface LrFinderProgress {
  /** Steps done so far (1-based count) out of `steps`. */
  readonly step: number;
  readonly steps: number;
  readonly learningRate: number;
  readonly loss: number;
  readonly smoothedLoss: number;
}

export interface LrFinderResult {
  /** One entry per step taken. */
  readonly learningRates: number[];
  readonly losses: number[];
  readonly smoothedLosses: number[];
  /** completed: all steps ran; diverged: stopped at 4× the minimum (or NaN); aborted: the signal fired. */
  readonly reason: 'completed' | 'diverged' | 'aborted';
  /** Undefined when too few steps ran to judge. */
  readonly suggestion?: LearningRateSuggestion;
  readonly batchSize: number;
  readonly steps: number;
  readonly startLr: number;
  readonly endLr: number;
  readonly seconds: number;
}

export const LR_FINDER_DEFAULTS = { startLr: 1e-7, endLr: 10, steps: 200 } as const;

/** One-line refusals for bad finder settings (checked before any work). */
export function validateLrFinderOptions(
  o: { startLr: number; endLr: number; steps: number; batchSize: number },
  trainSize?: number,
): void {
  if (!(o.startLr > 0) || !Number.isFinite(o.startLr))
    throw new UsageError(`lr-find: the start learning rate must be a number above 0 (got ${o.startLr})`);
  if (!Number.isFinite(o.endLr) || o.endLr <= o.startLr)
    throw new UsageError(`lr-find: the end learning rate must be above the start (got ${o.startLr} to ${o.endLr})`);
  if (o.endLr > 1e3) throw new UsageError(`lr-find: the end learning rate must be at most 1000 (got ${o.endLr})`);
  if (!Number.isInteger(o.steps) || o.steps < 10 || o.steps > 10000)
    throw new UsageError(`lr-find: steps must be a whole number from 10 to 10000 (got ${o.steps})`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1)
    throw new UsageError(`lr-find: batch size must be a whole number of at least 1 (got ${o.batchSize})`);
  if (trainSize !== undefined && o.batchSize > trainSize)
    throw new UsageError(`lr-find: batch size ${o.batchSize} is larger than the training set (${trainSize} images)`);
}

/**
 * The learning-rate range test: from the engine's current weights, `steps` optimizer steps with
 * the learning rate growing exponentially from startLr to endLr, recording the loss; stops early
 * once the smoothed loss exceeds 4× its minimum. The engine's parameters and optimizer state are
 * restored afterwards (also on error or abort): the finder never changes the model.
 */
export async function findLearningRate(options: LrFinderOptions): Promise<LrFinderResult> {
  const { engine, train, batchSize, signal, onProgress } = options;
  const startLr = options.startLr ?? LR_FINDER_DEFAULTS.startLr;
  const endLr = options.endLr ?? LR_FINDER_DEFAULTS.endLr;
  const steps = options.steps ?? LR_FINDER_DEFAULTS.steps;
  const seed = options.seed ?? 0;
  const factor = options.divergenceFactor ?? DEFAULT_DIVERGENCE_FACTOR;
  const perCall = Math.max(1, options.stepsPerCall ?? 10);
  validateLrFinderOptions({ startLr, endLr, steps, batchSize }, train.count);

  const started = performance.now();
  const savedParameters = cloneTensors(await engine.getParameters());
  const savedOptimizer = await engine.getOptimizerState();
  const savedState = { step: savedOptimizer.step, tensors: cloneTensors(savedOptimizer.tensors) };

  const order = permutation(train.count, deriveSeed(seed, 0x1f));
  const smoother = new LossSmoother(options.beta ?? DEFAULT_SMOOTHING_BETA);
  const learningRates: number[] = [];
  const losses: number[] = [];
  const smoothedLosses: number[] = [];
  let best = Infinity;
  let reason: LrFinderResult['reason'] = 'completed';
  try {
    run: for (let step = 0; step < steps; ) {
      if (signal?.aborted) {
        reason = 'aborted';
        break;
      }
      const batches: TrainBatch[] = [];
      for (let k = 0; k < perCall && step + k < steps; k++) {
        const s = step + k;
        batches.push(
          gatherBatch(
            train,
            order,
            s * batchSize,
            batchSize,
            rangeTestLearningRate(startLr, endLr, steps, s),
            deriveSeed(seed, s),
          ),
        );
      }
      const got = await engine.trainSteps(batches);
      for (let k = 0; k < batches.length; k++, step++) {
        const loss = got[k];
        const smoothed = smoother.push(loss);
        learningRates.push(batches[k].learningRate);
        losses.push(loss);
        smoothedLosses.push(smoothed);
        onProgress?.({ step: step + 1, steps, learningRate: batches[k].learningRate, loss, smoothedLoss: smoothed });
        if (hasDiverged(loss, smoothed, best, factor)) {
          reason = 'diverged';
          break run;
        }
        if (smoothed < best) best = smoothed;
      }
    }
  } finally {
    await engine.setParameters(savedParameters);
    await engine.setOptimizerState(savedState);
  }
  // The diverging last point would dominate the curve: keep it in the record, not in the suggestion.
  const usable = reason === 'diverged' ? learningRates.length - 1 : learningRates.length;
  const finite = smoothedLosses.slice(0, usable).every(Number.isFinite)
    ? usable
    : smoothedLosses.findIndex((x) => !Number.isFinite(x));
  return {
    learningRates,
    losses,
    smoothedLosses,
    reason,
    suggestion: suggestLearningRate(learningRates.slice(0, finite), smoothedLosses.slice(0, finite)),
    batchSize,
    steps,
    startLr,
    endLr,
    seconds: (performance.now() - started) / 1000,
  };
}
