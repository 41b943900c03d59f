// The tuning panel on the Hyperparameters step: the lr finder's and the search's results, and applying them.
import { specForLoss } from '../../config/index.js';
import { formatLearningRate } from '../format.js';
import type { KeyCommand } from '../keys.js';
import type { LrFinderResult, SearchResult, SearchTrial } from '../services.js';
import type { AppState, TuneState } from '../state.js';
import { setForm } from './hp-form.js';
import { setSpec } from './model-editor.js';
import { withEffects } from './transitions.js';

export type TuneAction =
  | { readonly type: 'lrFound'; readonly result: LrFinderResult }
  | { readonly type: 'searchTrial'; readonly trial: SearchTrial }
  | { readonly type: 'searchDone'; readonly result: SearchResult }
  | { readonly type: 'tuneFailed'; readonly message: string };

const byAccuracy = (a: SearchTrial, b: SearchTrial) => b.testAccuracy - a.testAccuracy;

/** A tuner's progress or result folded into the panel. */
export function tuneEvent(state: AppState, action: TuneAction): AppState {
  const tune = (patch: Partial<TuneState>): AppState => ({
    ...state,
    hp: { ...state.hp, tune: { ...state.hp.tune, ...patch } },
  });
  switch (action.type) {
    case 'lrFound':
      return tune({ status: 'found', finder: action.result });
    case 'searchTrial':
      return tune({
        trials: [...state.hp.tune.trials.filter((t) => t.id !== action.trial.id), action.trial].sort(byAccuracy),
      });
    case 'searchDone':
      return tune({ status: 'searched', trials: [...action.result.trials].sort(byAccuracy), best: action.result.best });
    case 'tuneFailed':
      return tune({ status: 'error', error: action.message });
  }
}

/** Keys while the panel is open: enter applies its result, esc closes it (and stops a running search). */
export function tunePanelCommand(state: AppState, cmd: KeyCommand): AppState {
  const tune = state.hp.tune;
  // The tuning panel: enter applies its result, esc closes it (and stops a running search).
  if (cmd === 'next' && tune.status === 'found' && tune.finder) {
    const s = setForm(state, {
      ...state.hp.form,
      hyperparameters: { ...state.hp.form.hyperparameters, learningRate: tune.finder.suggestion },
    });
    return {
      ...s,
      hp: { ...s.hp, tune: { status: 'idle', trials: [] } },
      status: `learning rate set to ${formatLearningRate(tune.finder.suggestion)}`,
    };
  }
  if (cmd === 'next' && tune.status === 'searched' && tune.best) {
    const withSpec = tune.best.spec
      ? setSpec(state, specForLoss(tune.best.spec, tune.best.hyperparameters.loss), 0)
      : state;
    // The trial's settings, for as many epochs as the person asked for (trials run a short budget).
    const s = setForm(withSpec, {
      ...state.hp.form,
      hyperparameters: { ...tune.best.hyperparameters, epochs: state.hp.form.hyperparameters.epochs },
    });
    return { ...s, hp: { ...s.hp, tune: { status: 'idle', trials: [] } }, status: 'applied the best trial' };
  }
  if (cmd === 'next' && (tune.status === 'finding' || tune.status === 'searching'))
    return { ...state, status: 'still running: esc stops it' };
  if (cmd === 'back' || cmd === 'next') {
    const closed = { ...state, hp: { ...state.hp, tune: { status: 'idle' as const, trials: [] } } };
    return tune.status === 'finding' || tune.status === 'searching'
      ? withEffects(closed, { kind: 'cancelTune' })
      : closed;
  }
  return state;
}
