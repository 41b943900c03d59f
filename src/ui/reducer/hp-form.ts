// The Hyperparameters form's state: setting values keeps the model's LogSoftmax and the error in step.
import { specForLoss } from '../../config/index.js';
import { validateModelSpec } from '../../core/model/spec.js';
import { validateHyperparameters } from '../../core/train/hyperparameters.js';
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
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export function setForm(state: AppState, form: HpForm): AppState {
  const spec = specForLoss(state.model.spec, form.hyperparameters.loss);
  const model = spec === state.model.spec ? state.model : modelState(spec, state.model.selected);
  const next = { ...state, model };
  const fields = hyperparameterFields(form);
  return {
    ...next,
    hp: {
      ...state.hp,
      form,
      selected: Math.min(state.hp.selected, fields.length - 1),
      error: validationError(next, form),
    },
  };
}
