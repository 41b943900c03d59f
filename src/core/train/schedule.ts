import type { Schedule } from './hyperparameters.js';

/**
 * The learning rate for optimizer step `step` (0-based), matching torch's StepLR and
 * CosineAnnealingLR stepped once per optimizer step. `totalSteps` resolves tMax = 0.
 */
export function learningRateAt(schedule: Schedule, baseLr: number, step: number, totalSteps: number): number {
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'step':
      return baseLr * Math.pow(schedule.gamma, Math.floor(step / schedule.stepSize));
    case 'cosine': {
      const tMax = schedule.tMax > 0 ? schedule.tMax : totalSteps;
      const t = Math.min(step, tMax);
      return schedule.etaMin + ((baseLr - schedule.etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2;
    }
  }
}
