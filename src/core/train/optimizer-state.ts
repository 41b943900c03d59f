import type { OptimizerOptions } from './hyperparameters.js';
import { ONE_CYCLE } from './schedule.js';

/**
 * The options an engine runs with: with a momentum-cycling schedule (one-cycle) torch sets SGD's
 * and RMSprop's momentum every step, starting from 0.95, even when it was 0 — so the momentum
 * buffer exists. Adam's beta1 changes but its buffers do not.
 */
export function runtimeOptimizer(o: OptimizerOptions, cycleMomentum = false): OptimizerOptions {
  if (!cycleMomentum || (o.kind !== 'sgd' && o.kind !== 'rmsprop') || o.momentum !== 0) return o;
  return { ...o, momentum: ONE_CYCLE.maxMomentum };
}

/** torch.optim's state buffer names for an optimizer's settings, in the order torch creates them.
 *  Both engines and checkpoints name optimizer state `<buffer>/<parameter name>` from this list. */
export function optimizerBufferNames(o: OptimizerOptions): string[] {
  switch (o.kind) {
    case 'sgd':
      return o.momentum !== 0 ? ['momentum_buffer'] : [];
    case 'adam':
    case 'adamw':
      return o.amsgrad ? ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] : ['exp_avg', 'exp_avg_sq'];
    case 'rmsprop':
      return ['square_avg', ...(o.momentum > 0 ? ['momentum_buffer'] : []), ...(o.centered ? ['grad_avg'] : [])];
  }
}
