// The Train step: starting a run and the keys that steer it (pause, stop, abort, epochs, lr).
import { formatLearningRate } from '../format.js';
import type { KeyCommand } from '../keys.js';
import { EMPTY_TRAIN, type AppState, type TrainState } from '../state.js';
import { goto, isTraining, withEffects } from './transitions.js';

export function startRun(state: AppState): AppState {
  const runId = state.train.runId + 1;
  const hp = state.hp.form.hyperparameters;
  const next: AppState = {
    ...state,
    train: { ...EMPTY_TRAIN, runId, status: 'starting', epochs: hp.epochs, learningRate: hp.learningRate },
    save: { ...state.save, status: 'idle', result: undefined, error: undefined },
    export: { status: 'idle' },
    verify: { status: 'idle' },
  };
  return withEffects(next, { kind: 'startTraining' });
}

export function trainCommand(state: AppState, cmd: KeyCommand): AppState {
  const t = state.train;
  const running = isTraining(state);
  const control = (command: Parameters<typeof withEffects>[1] & { kind: 'control' }, patch: Partial<TrainState>) =>
    withEffects({ ...state, train: { ...t, ...patch } }, command);
  switch (cmd) {
    case 'next':
      if (running || t.status === 'waiting')
        return { ...state, status: 'training is running: s stops after this epoch, x aborts now' };
      if (t.status === 'error') return goto(state, -1);
      if (t.history.length === 0) return { ...state, status: 'nothing trained yet: esc goes back' };
      // The weights come a moment after the last epoch (the engine hands them over).
      if (!t.model) return { ...state, status: 'getting the trained weights: enter again in a moment' };
      return goto(state, 1);
    case 'back':
      if (running) return { ...state, status: 'training is running: s stops after this epoch, x aborts now' };
      return { ...goto(state, -1), train: t.status === 'waiting' ? { ...t, status: 'idle' } : t };
    case 'pauseResume':
      if (t.status === 'running')
        return control({ kind: 'control', command: { type: 'pause' } }, { status: 'pausing', notice: 'pausing…' });
      if (t.status === 'paused' || t.status === 'pausing')
        return control({ kind: 'control', command: { type: 'resume' } }, { status: 'running', notice: 'resumed' });
      return state;
    case 'stopAfterEpoch':
      if (!running || t.status === 'aborting') return state;
      return control(
        { kind: 'control', command: { type: 'stopAfterEpoch' } },
        {
          status: t.status === 'paused' ? 'paused' : 'stopping',
          notice: `stopping after epoch ${Math.max(1, t.epoch)}`,
        },
      );
    case 'abort':
      if (!running) return state;
      return control({ kind: 'control', command: { type: 'abort' } }, { status: 'aborting', notice: 'aborting…' });
    case 'addEpoch':
      if (!running) return state;
      return control(
        { kind: 'control', command: { type: 'addEpochs', count: 1 } },
        { epochs: t.epochs + 1, notice: `epochs → ${t.epochs + 1}` },
      );
    case 'halveLr':
    case 'doubleLr': {
      if (!running) return state;
      const learningRate = t.learningRate * (cmd === 'doubleLr' ? 2 : 0.5);
      return control(
        { kind: 'control', command: { type: 'setLearningRate', learningRate } },
        { learningRate, notice: `learning rate → ${formatLearningRate(learningRate)}` },
      );
    }
    default:
      return state;
  }
}
