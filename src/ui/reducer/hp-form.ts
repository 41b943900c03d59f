// The Hyperparameters form's state: setting values keeps the model's LogSoftmax and the error in step.
import { endsInLogSoftmax, specForLoss } from '../../config/index.js';
import { validateModelSpec } from '../../core/model/spec.js';
import { validateHyperparameters } from '../../core/train/hyperparameters.js';
import { formatLearningRate } from '../../core/format.js';
import { hyperparameterFields, type HpForm } from '../fields.js';
import { modelState, type AppState } from '../state.js';

/** The reason the form cannot train, or undefined. Uses the core validators' UsageError text. */
export function validationError(
  state: AppState,
  form: HpForm,
  trainSize = state.data.dataset?.train.count,
): string | undefined {
  try {
    validateHyperparameters(form.hyperparameters, trainSize);
    validateModelSpec(state.model.spec);
    // NLLLoss wants log-probabilities: the MLP form appends LogSoftmax itself, a layer list says it.
    const { layers } = state.model.spec;
    if (layers && endsInLogSoftmax(form.hyperparameters.loss) && layers.at(-1)?.type !== 'LogSoftmax')
      return 'loss nll expects log-probabilities: end the layer list with LogSoftmax (Model step), or use cross_entropy';
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Values that are legal but almost surely a slip (warned, not refused): the person may mean them.
 * The usual ranges are the ones the lr finder and the README's runs use.
 */
export function formWarning(form: HpForm): string | undefined {
  const hp = form.hyperparameters;
  if (hp.learningRate > 1)
    return `learning rate ${formatLearningRate(hp.learningRate)} is above 1: training almost surely diverges (usual: 1e-4 to 1e-1)`;
  if (hp.learningRate < 1e-6)
    return `learning rate ${formatLearningRate(hp.learningRate)} barely moves the weights (usual: 1e-4 to 1e-1)`;
  if (hp.optimizer.weightDecay > 0.1)
    return `weight decay ${hp.optimizer.weightDecay} is large: it pulls every weight to 0 (usual: 0 to 1e-2)`;
  if (hp.epochs > 500)
    return `${hp.epochs} epochs is long: at ~2 s an epoch that is ${Math.round((hp.epochs * 2) / 60)} minutes`;
  return undefined;
}

export function setForm(state: AppState, form: HpForm): AppState {
  const spec = specForLoss(state.model.spec, form.hyperparameters.loss);
  const model =
    spec === state.model.spec
      ? state.model
      : { ...modelState(spec, state.model.selected, state.model.scroll), custom: state.model.custom };
  const next = { ...state, model };
  const fields = hyperparameterFields(form);
  return {
    ...next,
    hp: {
      ...state.hp,
      form,
      selected: Math.min(state.hp.selected, fields.length - 1),
      error: validationError(next, form),
      warning: formWarning(form),
    },
  };
}
