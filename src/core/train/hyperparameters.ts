import { UsageError } from '../errors.js';
import { validateAugment, type Augment } from './augment.js';

export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const LOSSES = ['cross_entropy', 'nll', 'mse'] as const;
export type LossName = (typeof LOSSES)[number];
export const SCHEDULES = ['constant', 'step', 'cosine', 'onecycle'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** torch.optim.SGD options (defaults: momentum 0, dampening 0, nesterov false, weight_decay 0). */
export interface SgdOptions {
  readonly kind: 'sgd';
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
}
/** torch.optim.Adam options (defaults: betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad false). */
export interface AdamOptions {
  readonly kind: 'adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
}
/** torch.optim.RMSprop options (defaults: alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered false). */
export interface RmspropOptions {
  readonly kind: 'rmsprop';
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly centered: boolean;
}
/**
 * torch.optim.AdamW: Adam whose weight decay is decoupled from the gradient (p ← p·(1 - lr·wd)
 * before the Adam step); defaults as Adam's but weight_decay 0.01.
 */
export interface AdamWOptions extends Omit<AdamOptions, 'kind'> {
  readonly kind: 'adamw';
}
export type OptimizerOptions = SgdOptions | AdamOptions | RmspropOptions | AdamWOptions;

/** Adam and AdamW share their options and moments. */
export function isAdam(o: OptimizerOptions): o is AdamOptions | AdamWOptions {
  return o.kind === 'adam' || o.kind === 'adamw';
}

export const OPTIMIZER_DEFAULTS: { [K in OptimizerName]: Extract<OptimizerOptions, { kind: K }> } = {
  sgd: { kind: 'sgd', momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
  adam: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false },
  rmsprop: { kind: 'rmsprop', alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
  adamw: { kind: 'adamw', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, amsgrad: false },
};

/**
 * Learning-rate schedules, stepped after every optimizer step like torch's schedulers
 * when `scheduler.step()` is called per batch.
 * - step: lr = base * gamma^floor(step / stepSize)            (StepLR)
 * - cosine: lr = etaMin + (base - etaMin)(1 + cos(pi * step / tMax)) / 2   (CosineAnnealingLR)
 * - onecycle: torch's OneCycleLR(max_lr=base, total_steps=the run's steps) with its defaults
 *   (pct_start 0.3, anneal_strategy 'cos', div_factor 25, final_div_factor 1e4, three_phase
 *   False, cycle_momentum True: SGD's and RMSprop's momentum and Adam's beta1 go 0.95 → 0.85 → 0.95).
 * `stepSize` and `tMax` count optimizer steps; 0 for tMax means "all steps of the run".
 * `warmupSteps` W (not onecycle, which warms up itself) puts torch's
 * LinearLR(start_factor=1/(W+1), total_iters=W) first — lr = base·(s+1)/(W+1) for step s < W — and
 * then the schedule, counted from 0 after the warm-up (SequentialLR(milestones=[W]); cosine's
 * tMax 0 is then the run's steps - W).
 */
export type Schedule =
  | { readonly kind: 'constant'; readonly warmupSteps?: number }
  | { readonly kind: 'step'; readonly stepSize: number; readonly gamma: number; readonly warmupSteps?: number }
  | { readonly kind: 'cosine'; readonly tMax: number; readonly etaMin: number; readonly warmupSteps?: number }
  | { readonly kind: 'onecycle' };

/**
 * Keras' EarlyStopping(patience, min_delta=0) on the held-out loss or accuracy (validation if
 * there is a split, else test): stop after `patience` epochs without improvement.
 */
export interface EarlyStop {
  readonly patience: number;
  readonly monitor: 'loss' | 'accuracy';
}
export const MONITORS = ['loss', 'accuracy'] as const;

export interface Hyperparameters {
  readonly learningRate: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly optimizer: OptimizerOptions;
  readonly loss: LossName;
  readonly schedule: Schedule;
  /** Seed's DataLoader: no shuffle. When on, the order is derived from seed and epoch. */
  readonly shuffle: boolean;
  /** Seeds initialisation, shuffling and dropout. */
  readonly seed: number;
  /**
   * Cross-entropy only: torch's CrossEntropyLoss(label_smoothing=x), the target being
   * (1 - x)·one-hot + x/10; 0 ≤ x ≤ 1. Applies to the held-out losses too (torch's loss_fn is one). Default 0.
   */
  readonly labelSmoothing?: number;
  /** Training images held out for validation (class-balanced, from the seed); default none. */
  readonly validation?: number;
  /** Stop when the monitored held-out metric stops improving; default: run every epoch. */
  readonly earlyStop?: EarlyStop;
  /** Training-time augmentation (torchvision's RandomCrop / RandomHorizontalFlip / RandomErasing); default none. */
  readonly augment?: Augment;
}

/** The seed program's settings. */
export const SEED_HYPERPARAMETERS: Hyperparameters = {
  learningRate: 1e-3,
  batchSize: 64,
  epochs: 10,
  optimizer: OPTIMIZER_DEFAULTS.sgd,
  loss: 'cross_entropy',
  schedule: { kind: 'constant' },
  shuffle: false,
  seed: 0,
};

const finite = (x: number) => typeof x === 'number' && Number.isFinite(x);

/** Throws a UsageError naming the first invalid value (checked before any work). */
export function validateHyperparameters(hp: Hyperparameters, trainSize?: number): Hyperparameters {
  if (!finite(hp.learningRate) || hp.learningRate <= 0)
    throw new UsageError(`learning rate must be a number above 0, e.g. 1e-3 (got ${hp.learningRate})`);
  if (!Number.isInteger(hp.batchSize) || hp.batchSize < 1)
    throw new UsageError(`batch size must be a whole number of at least 1, e.g. 64 (got ${hp.batchSize})`);
  if (trainSize !== undefined && hp.batchSize > trainSize)
    throw new UsageError(`batch size ${hp.batchSize} is larger than the training set (${trainSize} images)`);
  if (!Number.isInteger(hp.epochs) || hp.epochs < 1)
    throw new UsageError(`epochs must be a whole number of at least 1, e.g. 10 (got ${hp.epochs})`);
  if (!LOSSES.includes(hp.loss)) throw new UsageError(`unknown loss '${hp.loss}' (choose ${LOSSES.join(', ')})`);
  if (!Number.isInteger(hp.seed) || hp.seed < 0)
    throw new UsageError(`seed must be a whole number of at least 0 (got ${hp.seed})`);
  const smoothing = hp.labelSmoothing ?? 0;
  if (!finite(smoothing) || smoothing < 0 || smoothing > 1)
    throw new UsageError(`label smoothing must be between 0 and 1, e.g. 0.1 (got ${smoothing})`);
  if (smoothing > 0 && hp.loss !== 'cross_entropy')
    throw new UsageError(`label smoothing applies to the cross_entropy loss, not ${hp.loss} (as in torch)`);
  if (hp.validation !== undefined && (!Number.isInteger(hp.validation) || hp.validation < 10))
    throw new UsageError(
      `the validation split must be a whole number of at least 10 images, one per class (got ${hp.validation})`,
    );
  if (hp.augment !== undefined) validateAugment(hp.augment);
  if (hp.earlyStop !== undefined) {
    if (!Number.isInteger(hp.earlyStop.patience) || hp.earlyStop.patience < 1)
      throw new UsageError(
        `early-stop patience must be a whole number of epochs of at least 1 (got ${hp.earlyStop.patience})`,
      );
    if (!MONITORS.includes(hp.earlyStop.monitor))
      throw new UsageError(`unknown monitor '${hp.earlyStop.monitor}' (choose ${MONITORS.join(', ')})`);
  }
  const o = hp.optimizer;
  if (!OPTIMIZERS.includes(o.kind as OptimizerName))
    throw new UsageError(`unknown optimizer '${(o as { kind: string }).kind}' (choose ${OPTIMIZERS.join(', ')})`);
  const range = (name: string, x: number, lo: number, hi: number, hiOpen = false) => {
    if (!finite(x) || x < lo || (hiOpen ? x >= hi : x > hi))
      throw new UsageError(`${name} must be between ${lo} and ${hi}${hiOpen ? ' (exclusive)' : ''} (got ${x})`);
  };
  range('weight decay', o.weightDecay, 0, 1);
  if (o.kind === 'sgd') {
    range('momentum', o.momentum, 0, 1, true);
    range('dampening', o.dampening, 0, 1);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0))
      throw new UsageError('nesterov needs a momentum above 0 and zero dampening (as in torch.optim.SGD)');
  } else if (isAdam(o)) {
    range('beta1', o.beta1, 0, 1, true);
    range('beta2', o.beta2, 0, 1, true);
    if (!finite(o.eps) || o.eps <= 0) throw new UsageError(`eps must be above 0 (got ${o.eps})`);
  } else {
    range('alpha', o.alpha, 0, 1);
    range('momentum', o.momentum, 0, 1, true);
    if (!finite(o.eps) || o.eps <= 0) throw new UsageError(`eps must be above 0 (got ${o.eps})`);
  }
  const s = hp.schedule;
  if (!SCHEDULES.includes(s.kind))
    throw new UsageError(`unknown schedule '${(s as { kind: string }).kind}' (choose ${SCHEDULES.join(', ')})`);
  if (s.kind === 'step') {
    if (!Number.isInteger(s.stepSize) || s.stepSize < 1)
      throw new UsageError(`schedule step size must be a whole number of at least 1 (got ${s.stepSize})`);
    range('schedule gamma', s.gamma, 0, 1);
  }
  if (s.kind === 'cosine') {
    if (!Number.isInteger(s.tMax) || s.tMax < 0)
      throw new UsageError(`cosine tMax must be a whole number of at least 0 (got ${s.tMax})`);
    if (!finite(s.etaMin) || s.etaMin < 0) throw new UsageError(`cosine eta-min must be at least 0 (got ${s.etaMin})`);
  }
  if (s.kind !== 'onecycle' && s.warmupSteps !== undefined && (!Number.isInteger(s.warmupSteps) || s.warmupSteps < 0))
    throw new UsageError(`warm-up must be a whole number of steps of at least 0 (got ${s.warmupSteps})`);
  return hp;
}

/** Optimizer steps in one epoch: the last partial batch counts (like DataLoader, drop_last=False). */
export function stepsPerEpoch(trainSize: number, batchSize: number): number {
  return Math.ceil(trainSize / batchSize);
}
