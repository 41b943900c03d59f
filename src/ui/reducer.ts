// The app's one reducer: pure, typed actions in, new state out. Side effects are queued as
// `effects` for the hooks to run (see use-effects.ts), so every key's consequence is testable here.
// Each step's keys and each stream of events live in ./reducer/ (one file per concept).
import type { Dataset } from '../core/dataset/types.js';
import type { TrainingEvent } from '../core/train/events.js';
import { resolveKey, type KeyCommand, type KeyPress } from './keys.js';
import type { DataProgress, ExportResult, PreviewEvent, SaveResult, TrainedModel, VerifyResult } from './services.js';
import type { AppState, DataSummary } from './state.js';
import { dataCommand, dataProgress } from './reducer/data-step.js';
import { validationError } from './reducer/hp-form.js';
import { hpCommand, startTraining } from './reducer/hp-step.js';
import { pickerCommand, pickerJump } from './reducer/layer-editor.js';
import { modelCommand } from './reducer/model-editor.js';
import { taskCommand } from './reducer/tasks.js';
import { foldTrainEvents } from './reducer/telemetry.js';
import { editCommand, typeText } from './reducer/text-edit.js';
import { startRun, trainCommand } from './reducer/train-control.js';
import { exit, hasUnsavedModel, isTraining } from './reducer/transitions.js';
import { tuneEvent, type TuneAction } from './reducer/tune-panel.js';
import { insightEvent, insightOpenCommand, insightViewCommand, type InsightAction } from './reducer/insight-views.js';

export { isTraining } from './reducer/transitions.js';
export { validationError } from './reducer/hp-form.js';
export { LOSS_HISTORY, SMOOTHING } from './reducer/telemetry.js';

export type Action =
  | { readonly type: 'resize'; readonly columns: number; readonly rows: number }
  | { readonly type: 'command'; readonly command: KeyCommand }
  /** A raw key press: resolved against the key table in the mode of the state it lands on. */
  | { readonly type: 'key'; readonly input: string; readonly key: KeyPress }
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'effectsDone'; readonly upTo: number }
  | { readonly type: 'dataProgress'; readonly progress: DataProgress }
  | { readonly type: 'dataLoaded'; readonly dataset: Dataset; readonly summary: DataSummary }
  | { readonly type: 'dataFailed'; readonly message: string }
  | {
      readonly type: 'trainEvents';
      readonly runId: number;
      readonly events: readonly (TrainingEvent | PreviewEvent)[];
      readonly now: number;
    }
  | { readonly type: 'trainModel'; readonly runId: number; readonly model: TrainedModel }
  | { readonly type: 'trainFailed'; readonly runId: number; readonly message: string }
  | { readonly type: 'saveDone'; readonly result: SaveResult }
  | { readonly type: 'exportDone'; readonly result: ExportResult }
  | { readonly type: 'verifyDone'; readonly result: VerifyResult }
  | {
      readonly type: 'taskFailed';
      readonly task: 'save' | 'export' | 'verify';
      readonly message: string;
      /** The folder already holds what the task would write (RunFolderExistsError). */
      readonly exists?: boolean;
    }
  | TuneAction
  | InsightAction;

/** Who owns the keyboard: the help, the quit question, a text field, or the step. */
export function keyMode(state: AppState): 'normal' | 'edit' | 'confirm' | 'help' | 'analysis' | 'runs' | 'picker' {
  if (state.overlay === 'help') return 'help';
  if (state.overlay === 'confirm') return 'confirm';
  if (state.edit) return 'edit';
  if (state.step === 'model' && state.model.picker !== undefined) return 'picker';
  return state.insight.view ?? 'normal';
}

export function reducer(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'resize':
      return { ...state, columns: action.columns, rows: action.rows };
    case 'effectsDone':
      return { ...state, effects: state.effects.filter((e) => e.id > action.upTo) };
    case 'key': {
      const resolved = resolveKey(action.input, action.key, { step: state.step, mode: keyMode(state) });
      if (!resolved) return state;
      return 'text' in resolved
        ? reducer(state, { type: 'text', text: resolved.text })
        : reducer(state, { type: 'command', command: resolved.command });
    }
    case 'command':
      return command({ ...state, status: undefined }, action.command);
    case 'text':
      return keyMode(state) === 'picker' ? pickerJump(state, action.text) : typeText(state, action.text);
    case 'dataProgress':
      return { ...state, data: dataProgress(state.data, action.progress) };
    case 'dataLoaded': {
      const next: AppState = {
        ...state,
        data: {
          ...state.data,
          status: 'ready',
          dataset: action.dataset,
          summary: action.summary,
          source: action.summary.source,
          error: undefined,
        },
        hp: { ...state.hp, error: validationError(state, state.hp.form, action.dataset.train.count) },
      };
      // Someone pressed Enter through to Train before the data arrived: start now.
      if (next.train.status === 'waiting' && !next.hp.error) return startRun(next);
      return next;
    }
    case 'dataFailed':
      return {
        ...state,
        data: { ...state.data, status: 'error', error: action.message },
        train:
          state.train.status === 'waiting'
            ? { ...state.train, status: 'error', error: `no data: ${action.message}` }
            : state.train,
      };
    case 'trainEvents':
      if (action.runId !== state.train.runId) return state;
      return foldTrainEvents(state, action.events, action.now);
    case 'trainModel':
      if (action.runId !== state.train.runId) return state;
      return { ...state, train: { ...state.train, model: action.model } };
    case 'trainFailed':
      if (action.runId !== state.train.runId) return state;
      return { ...state, train: { ...state.train, status: 'error', error: action.message } };
    case 'saveDone':
      // A new save (another folder, or over the old run) has no model.onnx yet: export and verify again.
      return {
        ...state,
        save: { ...state.save, status: 'done', result: action.result, error: undefined },
        export: { status: 'idle' },
        verify: { status: 'idle' },
      };
    case 'exportDone':
      return { ...state, export: { status: 'done', result: action.result } };
    case 'verifyDone':
      return { ...state, verify: { status: 'done', result: action.result } };
    case 'taskFailed':
      return {
        ...state,
        [action.task]: { ...state[action.task], status: 'error', error: action.message, exists: action.exists },
      };
    case 'lrFound':
    case 'searchTrial':
    case 'searchDone':
    case 'tuneFailed':
      return tuneEvent(state, action);
    case 'runsLoaded':
    case 'runsFailed':
      return insightEvent(state, action);
  }
}

function command(state: AppState, cmd: KeyCommand): AppState {
  // Modes that own the keyboard first.
  if (cmd === 'forceQuit') return exit(state, 130);
  if (state.overlay === 'help') return cmd === 'help' ? { ...state, overlay: undefined } : state;
  if (state.overlay === 'confirm') {
    const closed = { ...state, overlay: undefined, question: undefined };
    if (cmd === 'confirmNo') return closed;
    if (cmd !== 'confirmYes') return state;
    return state.question === 'retrainUnsaved' ? startTraining(closed) : exit(closed, 0);
  }
  if (state.edit) return editCommand(state, cmd);
  if (keyMode(state) === 'picker' && cmd !== 'help') return pickerCommand(state, cmd);
  if (state.insight.view && cmd !== 'quit' && cmd !== 'help') return insightViewCommand(state, cmd);
  const opened = insightOpenCommand(state, cmd);
  if (opened) return opened;

  switch (cmd) {
    case 'help':
      return { ...state, overlay: 'help' };
    case 'quit':
      if (isTraining(state)) return { ...state, overlay: 'confirm', question: 'quitTraining' };
      if (hasUnsavedModel(state)) return { ...state, overlay: 'confirm', question: 'quitUnsaved' };
      return exit(state, 0);
    default:
      break;
  }
  switch (state.step) {
    case 'data':
      return dataCommand(state, cmd);
    case 'model':
      return modelCommand(state, cmd);
    case 'hyperparameters':
      return hpCommand(state, cmd);
    case 'train':
      return trainCommand(state, cmd);
    case 'save':
    case 'export':
    case 'verify':
      return taskCommand(state, cmd);
  }
}
