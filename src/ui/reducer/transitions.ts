// Small state transitions every step uses: queue an effect, move between steps, quit.
import { STEPS, type AppState, type Effect, type TrainState } from '../state.js';

export type EffectSpec = Effect extends infer E ? (E extends Effect ? Omit<E, 'id'> : never) : never;

export function withEffects(state: AppState, ...effects: EffectSpec[]): AppState {
  let id = state.nextEffectId;
  const added = effects.map((e) => ({ ...e, id: id++ }) as Effect);
  return { ...state, effects: [...state.effects, ...added], nextEffectId: id };
}

const TRAINING: readonly TrainState['status'][] = ['starting', 'running', 'pausing', 'paused', 'stopping', 'aborting'];
export const isTraining = (s: AppState) => TRAINING.includes(s.train.status);

/** A run trained at least one epoch and its model is not saved: quitting or retraining would lose it. */
export const hasUnsavedModel = (s: AppState) =>
  s.train.model !== undefined && s.train.history.length > 0 && s.save.status !== 'done';

export function goto(state: AppState, dir: 1 | -1): AppState {
  const i = STEPS.indexOf(state.step) + dir;
  if (i < 0 || i >= STEPS.length) return state;
  return { ...state, step: STEPS[i] };
}

export function exit(state: AppState, code: number): AppState {
  if (state.exiting !== undefined) return state;
  return withEffects({ ...state, exiting: code, overlay: undefined }, { kind: 'exit', code });
}
