// What to say when the loss stops being a number: the likely cause and a learning rate to try.
import { formatLearningRate } from '../format.js';
import { describeOptimizer } from './describe.js';
import type { TrainPosition } from './events.js';
import type { Hyperparameters, OptimizerOptions } from './hyperparameters.js';

const TYPICAL_LR: Record<OptimizerOptions['kind'], readonly [number, number]> = {
  sgd: [1e-3, 1e-1],
  adam: [1e-4, 1e-2],
  rmsprop: [1e-4, 1e-2],
  adamw: [1e-4, 1e-2],
};

/**
 * One line naming the likely cause of a non-finite loss. The value to try is a tenth of the rate, but
 * never above the usual range (from lr 1e8 the advice was "try 10000000 or lower").
 */
export function divergenceMessage(loss: number, at: TrainPosition, learningRate: number, hp: Hyperparameters): string {
  const what = Number.isNaN(loss) ? 'NaN' : 'infinite';
  const [lo, hi] = TYPICAL_LR[hp.optimizer.kind];
  const lr = formatLearningRate;
  return (
    `the loss became ${what} at epoch ${at.epoch}, batch ${at.batch}: the learning rate ${lr(learningRate)} is likely ` +
    `too high for ${describeOptimizer(hp.optimizer)} (it usually works from ${lr(lo)} to ${lr(hi)}); ` +
    `try ${lr(Math.min(learningRate / 10, hi))} or lower`
  );
}
