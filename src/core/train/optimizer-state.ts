import type { OptimizerOptions } from './hyperparameters.js';

/** torch.optim's state buffer names for an optimizer's settings, in the order torch creates them.
 *  Both engines and checkpoints name optimizer state `<buffer>/<parameter name>` from this list. */
export function optimizerBufferNames(o: OptimizerOptions): string[] {
  switch (o.kind) {
    case 'sgd':
      return o.momentum !== 0 ? ['momentum_buffer'] : [];
    case 'adam':
      return o.amsgrad ? ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] : ['exp_avg', 'exp_avg_sq'];
    case 'rmsprop':
      return ['square_avg', ...(o.momentum > 0 ? ['momentum_buffer'] : []), ...(o.centered ? ['grad_avg'] : [])];
  }
}
