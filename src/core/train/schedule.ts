import { stepsPerEpoch, type Hyperparameters, type Schedule } from './hyperparameters.js';

/** torch.optim.lr_scheduler.OneCycleLR's defaults. */
export const ONE_CYCLE = {
  pctStart: 0.3,
  divFactor: 25,
  finalDivFactor: 1e4,
  baseMomentum: 0.85,
  maxMomentum: 0.95,
} as const;

/** OneCycleLR's _annealing_cos: from start (pct 0) to end (pct 1) along half a cosine. */
function annealCos(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/**
 * OneCycleLR's two phases (three_phase False) at step `step` of `totalSteps`: the learning rate
 * and the momentum (or Adam's beta1), computed as torch's get_lr does (phase 1 ends at the float
 * step pct_start·total - 1, where phase 2 starts). Past the end (epochs added during the run) it
 * stays at the last step's values, where torch would raise.
 */
export function oneCycleAt(maxLr: number, step: number, totalSteps: number): { lr: number; momentum: number } {
  const c = ONE_CYCLE;
  const initialLr = maxLr / c.divFactor;
  const phases = [
    { end: c.pctStart * totalSteps - 1, lr: [initialLr, maxLr], momentum: [c.maxMomentum, c.baseMomentum] },
    { end: totalSteps - 1, lr: [maxLr, initialLr / c.finalDivFactor], momentum: [c.baseMomentum, c.maxMomentum] },
  ];
  const s = Math.min(step, totalSteps - 1);
  let start = 0;
  for (let i = 0; i < phases.length; i++) {
    const p = phases[i];
    if (s <= p.end || i === phases.length - 1) {
      const pct = (s - start) / (p.end - start);
      return { lr: annealCos(p.lr[0], p.lr[1], pct), momentum: annealCos(p.momentum[0], p.momentum[1], pct) };
    }
    start = p.end;
  }
  throw new Error('unreachable');
}

/**
 * The learning rate for optimizer step `step` (0-based), matching torch's schedulers stepped
 * once per optimizer step (see Schedule). `totalSteps` (the run's steps) resolves tMax = 0 and
 * one-cycle's length.
 */
export function learningRateAt(schedule: Schedule, baseLr: number, step: number, totalSteps: number): number {
  if (schedule.kind === 'onecycle') return oneCycleAt(baseLr, step, totalSteps).lr;
  const warmup = schedule.warmupSteps ?? 0;
  if (step < warmup) return (baseLr * (step + 1)) / (warmup + 1);
  const t = step - warmup;
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'step':
      return baseLr * Math.pow(schedule.gamma, Math.floor(t / schedule.stepSize));
    case 'cosine': {
      const tMax = schedule.tMax > 0 ? schedule.tMax : totalSteps - warmup;
      const at = Math.min(t, tMax);
      return schedule.etaMin + ((baseLr - schedule.etaMin) * (1 + Math.cos((Math.PI * at) / tMax))) / 2;
    }
  }
}

/**
 * The momentum (SGD, RMSprop) or beta1 (Adam) the schedule sets for step `step`: one-cycle
 * cycles it; other schedules leave the optimizer's own (undefined).
 */
export function momentumAt(schedule: Schedule, step: number, totalSteps: number): number | undefined {
  return schedule.kind === 'onecycle' ? oneCycleAt(1, step, totalSteps).momentum : undefined;
}

/**
 * The learning rate over a whole run, sampled at `points` evenly spaced steps (first and last
 * included), for drawing the schedule before training: `trainSize` images (less the validation
 * split) in batches of the run's size, for its epochs.
 */
export function scheduleCurve(
  hp: Pick<Hyperparameters, 'schedule' | 'learningRate' | 'batchSize' | 'epochs' | 'validation'>,
  trainSize: number,
  points: number,
): { readonly steps: number; readonly values: readonly number[] } {
  const perEpoch = stepsPerEpoch(Math.max(1, trainSize - (hp.validation ?? 0)), hp.batchSize);
  const steps = perEpoch * hp.epochs;
  const n = Math.max(2, Math.min(points, steps));
  const values = Array.from({ length: n }, (_, i) =>
    learningRateAt(hp.schedule, hp.learningRate, Math.round((i * (steps - 1)) / (n - 1)), steps),
  );
  return { steps, values };
}
