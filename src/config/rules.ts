import type { ModelSpec } from '../core/model/spec.js';
import type { LossName } from '../core/train/hyperparameters.js';

/** NLLLoss expects log-probabilities: with loss nll the model ends in LogSoftmax, and only then. */
export function endsInLogSoftmax(loss: LossName): boolean {
  return loss === 'nll';
}

/** The model with its LogSoftmax ending set for this loss (the same object when it already is). */
export function specForLoss(spec: ModelSpec, loss: LossName): ModelSpec {
  const logSoftmax = endsInLogSoftmax(loss);
  return spec.logSoftmax === logSoftmax ? spec : { ...spec, logSoftmax };
}

/** The loss a saved model was trained with, as far as its ending tells (verify's reference engine). */
export function lossForSpec(spec: ModelSpec): LossName {
  return spec.logSoftmax ? 'nll' : 'cross_entropy';
}
