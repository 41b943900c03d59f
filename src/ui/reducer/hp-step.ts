// The Hyperparameters step's keys: move between fields, change them, start training, open a tuner.
import { SEED_HYPERPARAMETERS } from '../../core/train/hyperparameters.js';
import { hyperparameterFields } from '../fields.js';
import type { KeyCommand } from '../keys.js';
import { EMPTY_TRAIN, type AppState } from '../state.js';
import { setForm, validationError } from './hp-form.js';
import { startRun } from './train-control.js';
import { tunePanelCommand } from './tune-panel.js';
import { goto, hasUnsavedModel, withEffects } from './transitions.js';

/** Enter on a valid form: to Train, and the run starts (or waits for the data). */
export function startTraining(state: AppState): AppState {
  const persisted = withEffects({ ...state, step: 'train' }, { kind: 'persistSettings' });
  if (state.data.status !== 'ready')
    return {
      ...persisted,
      train: {
        ...EMPTY_TRAIN,
        runId: state.train.runId,
        status: 'waiting',
        epochs: state.hp.form.hyperparameters.epochs,
      },
    };
  return startRun(persisted);
}

export function hpCommand(state: AppState, cmd: KeyCommand): AppState {
  if (state.hp.tune.status !== 'idle') return tunePanelCommand(state, cmd);
  const fields = hyperparameterFields(state.hp.form);
  const field = fields[state.hp.selected];
  switch (cmd) {
    case 'next': {
      const error = validationError(state, state.hp.form);
      if (error) return { ...state, hp: { ...state.hp, error }, status: `can't train yet: ${error}` };
      if (hasUnsavedModel(state)) return { ...state, overlay: 'confirm', question: 'retrainUnsaved' };
      return startTraining(state);
    }
    case 'back':
      return goto(state, -1);
    case 'up':
      return { ...state, hp: { ...state.hp, selected: (state.hp.selected - 1 + fields.length) % fields.length } };
    case 'down':
      return { ...state, hp: { ...state.hp, selected: (state.hp.selected + 1) % fields.length } };
    case 'left':
    case 'right':
      return setForm(state, field.step(state.hp.form, cmd === 'right' ? 1 : -1));
    case 'edit':
      return { ...state, edit: { target: field.id, buffer: '' } };
    case 'resetDefaults':
      return {
        ...setForm(
          { ...state, hp: { ...state.hp, fromSettings: false } },
          { hyperparameters: SEED_HYPERPARAMETERS, engine: 'onnx' },
        ),
        status: "reset to the seed program's values",
      };
    case 'lrFind':
    case 'search': {
      if (state.data.status !== 'ready') return { ...state, status: 'the data is still loading' };
      const error = validationError(state, state.hp.form);
      if (error) return { ...state, status: `fix this first: ${error}` };
      const status = cmd === 'lrFind' ? 'finding' : 'searching';
      return withEffects({ ...state, hp: { ...state.hp, tune: { status, trials: [] } } }, { kind: cmd });
    }
    default:
      return state;
  }
}
