// The tuning panel on the Hyperparameters step: the lr finder's and the search's results, and applying them.
import { specForLoss } from '../../config/index.js';
import { formatLearningRate } from '../format.js';
import type { KeyCommand } from '../keys.js';
import type { LrFinderResult, SearchResult, SearchTrial } from '../services.js';
import { presetOf, type AppState, type TuneState } from '../state.js';
import { setForm } from './hp-form.js';
import { setSpec } from './model-spec.js';
import { withEffects } from './transitions.js';

export type TuneAction =
  | { readonly type: 'lrFound'; readonly result: LrFinderResult }
  | { readonly type: 'searchTrial'; readonly trial: SearchTrial }
  | { readonly type: 'searchDone'; readonly result: SearchResult }
  | { readonly type: 'tuneFailed'; readonly message: string };

/** Best first; trials not yet evaluated (NaN) last, by id. */
const byAccuracy = (a: SearchTrial, b: SearchTrial) =>
  (Number.isNaN(b.testAccuracy) ? -1 : b.testAccuracy) - (Number.isNaN(a.testAccuracy) ? -1 : a.testAccuracy) ||
  a.id - b.id;

/** The best trial that finished at least one epoch, if any. */
export const bestFinished = (trials: readonly SearchTrial[]) =>
  [...trials].filter((t) => Number.isFinite(t.testAccuracy)).sort(byAccuracy)[0];

/**
 * A trial applied to the form: what the search varied (model, optimizer, learning rate, batch size, and
 * shuffling, which every trial used); the rest — schedule, epochs, loss, seed — stays as the person set it
 * (applying once silently turned a cosine schedule into constant).
 */
function applyTrial(state: AppState, trial: SearchTrial): AppState {
  const form = state.hp.form.hyperparameters;
  const t = trial.hyperparameters;
  const withSpec = trial.spec ? setSpec(state, specForLoss(trial.spec, form.loss), 0) : state;
  const s = setForm(withSpec, {
    ...state.hp.form,
    hyperparameters: {
      ...form,
      learningRate: t.learningRate,
      batchSize: t.batchSize,
      optimizer: t.optimizer,
      shuffle: t.shuffle,
    },
  });
  const changed = [
    trial.spec ? `model ${presetOf(trial.spec)}` : '',
    `${t.optimizer.kind}`,
    `lr ${formatLearningRate(t.learningRate)}`,
    `batch ${t.batchSize}`,
    t.shuffle !== form.shuffle ? `shuffle ${t.shuffle ? 'on' : 'off'}` : '',
  ].filter(Boolean);
  return {
    ...s,
    hp: { ...s.hp, tune: { status: 'idle', trials: [] } },
    status: `applied trial ${trial.id}: ${changed.join(', ')} (schedule, epochs and loss kept)`,
  };
}

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
  if (cmd === 'next' && tune.status === 'searched' && tune.best) return applyTrial(state, tune.best);
  if (cmd === 'next' && (tune.status === 'finding' || tune.status === 'searching'))
    return { ...state, status: 'still running: esc stops it' };
  // Esc stops a running search but keeps what it found: the best finished trial can still be applied.
  if (cmd === 'back' && tune.status === 'searching' && bestFinished(tune.trials)) {
    const trials = tune.trials.filter((t) => Number.isFinite(t.testAccuracy));
    return withEffects(
      {
        ...state,
        hp: { ...state.hp, tune: { ...tune, status: 'searched', trials, best: bestFinished(trials), stopped: true } },
      },
      { kind: 'cancelTune' },
    );
  }
  if (cmd === 'back' || cmd === 'next') {
    const closed = { ...state, hp: { ...state.hp, tune: { status: 'idle' as const, trials: [] } } };
    return tune.status === 'finding' || tune.status === 'searching'
      ? withEffects(closed, { kind: 'cancelTune' })
      : closed;
  }
  return state;
}
