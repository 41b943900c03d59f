// The app's one reducer: pure, typed actions in, new state out. Side effects are queued as
// `effects` for the hooks to run (see use-effects.ts), so every key's consequence is testable here.
import type { Dataset } from '../core/dataset/types.js';
import {
  ACTIVATIONS,
  MAX_HIDDEN_LAYERS,
  MAX_HIDDEN_UNITS,
  PRESETS,
  PRESET_NAMES,
  validateModelSpec,
  type Activation,
  type ModelSpec,
  type PresetName,
} from '../core/model/spec.js';
import type { TrainingEvent } from '../core/train/events.js';
import { describeProgress } from '../core/dataset/progress.js';
import { SEED_HYPERPARAMETERS, validateHyperparameters } from '../core/train/hyperparameters.js';
import { hyperparameterFields, type HpForm } from './fields.js';
import { formatLearningRate } from './format.js';
import { resolveKey, type KeyCommand, type KeyPress } from './keys.js';
import type {
  DataProgress,
  ExportResult,
  LrFinderResult,
  PreviewEvent,
  SaveResult,
  SearchResult,
  SearchTrial,
  TrainedModel,
  VerifyResult,
} from './services.js';
import {
  EMPTY_TRAIN,
  STEPS,
  modelState,
  type AppState,
  type DataSummary,
  type FileProgress,
  type Effect,
  type LogEntry,
  type TrainState,
} from './state.js';

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
  | { readonly type: 'taskFailed'; readonly task: 'save' | 'export' | 'verify'; readonly message: string }
  | { readonly type: 'lrFound'; readonly result: LrFinderResult }
  | { readonly type: 'searchTrial'; readonly trial: SearchTrial }
  | { readonly type: 'searchDone'; readonly result: SearchResult }
  | { readonly type: 'tuneFailed'; readonly message: string };

type EffectSpec = Effect extends infer E ? (E extends Effect ? Omit<E, 'id'> : never) : never;

function withEffects(state: AppState, ...effects: EffectSpec[]): AppState {
  let id = state.nextEffectId;
  const added = effects.map((e) => ({ ...e, id: id++ }) as Effect);
  return { ...state, effects: [...state.effects, ...added], nextEffectId: id };
}

/** Loss points kept for the sparkline (older ones scroll off). */
export const LOSS_HISTORY = 1000;
/** Exponential smoothing of the batch loss (fastai/TensorBoard style). */
export const SMOOTHING = 0.9;

const TRAINING: readonly TrainState['status'][] = ['starting', 'running', 'pausing', 'paused', 'stopping', 'aborting'];
export const isTraining = (s: AppState) => TRAINING.includes(s.train.status);

/** Who owns the keyboard: the help, the quit question, a text field, or the step. */
export function keyMode(state: AppState): 'normal' | 'edit' | 'confirm' | 'help' {
  return state.overlay === 'help'
    ? 'help'
    : state.overlay === 'confirmQuit'
      ? 'confirm'
      : state.edit
        ? 'edit'
        : 'normal';
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
      return state.edit
        ? { ...state, edit: { ...state.edit, buffer: state.edit.buffer + action.text, error: undefined } }
        : state;
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
      return { ...state, save: { ...state.save, status: 'done', result: action.result, error: undefined } };
    case 'exportDone':
      return { ...state, export: { status: 'done', result: action.result } };
    case 'verifyDone':
      return { ...state, verify: { status: 'done', result: action.result } };
    case 'taskFailed':
      return { ...state, [action.task]: { ...state[action.task], status: 'error', error: action.message } };
    case 'lrFound':
      return { ...state, hp: { ...state.hp, tune: { ...state.hp.tune, status: 'found', finder: action.result } } };
    case 'searchTrial': {
      const trials = [...state.hp.tune.trials.filter((t) => t.id !== action.trial.id), action.trial].sort(
        (a, b) => b.testAccuracy - a.testAccuracy,
      );
      return { ...state, hp: { ...state.hp, tune: { ...state.hp.tune, trials } } };
    }
    case 'searchDone':
      return {
        ...state,
        hp: {
          ...state.hp,
          tune: {
            ...state.hp.tune,
            status: 'searched',
            trials: [...action.result.trials].sort((a, b) => b.testAccuracy - a.testAccuracy),
            best: action.result.best,
          },
        },
      };
    case 'tuneFailed':
      return { ...state, hp: { ...state.hp, tune: { ...state.hp.tune, status: 'error', error: action.message } } };
  }
}

function dataProgress(data: AppState['data'], p: DataProgress): AppState['data'] {
  const upsert = (file: string, patch: Partial<FileProgress>): AppState['data'] => {
    const i = data.files.findIndex((f) => f.file === file);
    const files =
      i < 0
        ? [...data.files, { file, bytes: 0, total: 0, bytesPerSecond: 0, ...patch }]
        : data.files.map((f, j) => (j === i ? { ...f, ...patch } : f));
    return { ...data, files };
  };
  switch (p.type) {
    case 'source':
      return { ...data, source: p.description };
    case 'download-start':
      return upsert(p.file, { bytes: p.resumeFrom, phase: 'downloading' });
    case 'download':
      return upsert(p.file, {
        bytes: p.bytes,
        total: p.total,
        bytesPerSecond: p.bytesPerSecond,
        etaSeconds: p.etaSeconds,
        phase: 'downloading',
      });
    case 'downloaded':
      return upsert(p.file, { bytes: p.bytes, total: p.bytes, etaSeconds: 0, phase: 'downloaded' });
    case 'verifying':
      return upsert(p.file, { phase: 'verifying' });
    case 'verify':
      return upsert(p.file, { verified: p.ok, phase: p.ok ? 'verified' : 'rejected', reason: p.reason });
    case 'ready':
      return data;
    case 'skip':
    case 'retry':
    case 'mirror-failed':
    case 'removed':
      return { ...data, messages: [...data.messages, describeProgress(p)].slice(-3) };
  }
}

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

function setForm(state: AppState, form: HpForm): AppState {
  // NLL expects log-probabilities: the model ends in LogSoftmax exactly when the loss is nll.
  const logSoftmax = form.hyperparameters.loss === 'nll';
  const model =
    state.model.spec.logSoftmax === logSoftmax
      ? state.model
      : modelState({ ...state.model.spec, logSoftmax }, state.model.selected);
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

function setSpec(state: AppState, spec: ModelSpec, selected = state.model.selected): AppState {
  let error: string | undefined;
  try {
    validateModelSpec(spec);
  } catch (err) {
    error = (err as Error).message;
  }
  return { ...state, model: { ...modelState(spec, selected), error } };
}

function goto(state: AppState, dir: 1 | -1): AppState {
  const i = STEPS.indexOf(state.step) + dir;
  if (i < 0 || i >= STEPS.length) return state;
  return { ...state, step: STEPS[i] };
}

function startRun(state: AppState): AppState {
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

const DROPOUTS = [0, 0.1, 0.2, 0.3, 0.5];
const cycle = <T>(xs: readonly T[], x: T, dir: 1 | -1 = 1): T => xs[(xs.indexOf(x) + dir + xs.length) % xs.length];

function command(state: AppState, cmd: KeyCommand): AppState {
  // Modes that own the keyboard first.
  if (cmd === 'forceQuit') return exit(state, 130);
  if (state.overlay === 'help') return cmd === 'help' ? { ...state, overlay: undefined } : state;
  if (state.overlay === 'confirmQuit') {
    if (cmd === 'confirmYes') return exit(state, 0);
    if (cmd === 'confirmNo') return { ...state, overlay: undefined };
    return state;
  }
  if (state.edit) return editCommand(state, cmd);

  switch (cmd) {
    case 'help':
      return { ...state, overlay: 'help' };
    case 'quit':
      return isTraining(state) ? { ...state, overlay: 'confirmQuit' } : exit(state, 0);
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

function exit(state: AppState, code: number): AppState {
  if (state.exiting !== undefined) return state;
  return withEffects({ ...state, exiting: code, overlay: undefined }, { kind: 'exit', code });
}

function editCommand(state: AppState, cmd: KeyCommand): AppState {
  const edit = state.edit!;
  if (cmd === 'editCancel') return { ...state, edit: undefined };
  if (cmd === 'editBackspace')
    return { ...state, edit: { ...edit, buffer: edit.buffer.slice(0, -1), error: undefined } };
  if (cmd !== 'editCommit') return state;
  const text = edit.buffer.trim();
  if (edit.target === 'save.dir') {
    if (text === '') return { ...state, edit: { ...edit, error: 'type a folder name' } };
    return {
      ...state,
      edit: undefined,
      save: { ...state.save, dir: text, status: 'idle', result: undefined, error: undefined },
    };
  }
  if (edit.target === 'model.units') {
    const n = Number(text);
    if (text === '' || !Number.isInteger(n) || n < 1 || n > MAX_HIDDEN_UNITS)
      return {
        ...state,
        edit: { ...edit, error: `size must be a whole number from 1 to ${MAX_HIDDEN_UNITS} (got '${edit.buffer}')` },
      };
    const i = state.model.selected;
    const hidden = state.model.spec.hidden.map((l, j) => (j === i ? { ...l, units: n } : l));
    return { ...setSpec(state, { ...state.model.spec, hidden }), edit: undefined };
  }
  const field = hyperparameterFields(state.hp.form).find((f) => f.id === edit.target);
  if (!field) return { ...state, edit: undefined };
  try {
    const form = field.parse(state.hp.form, edit.buffer);
    return { ...setForm(state, form), edit: undefined };
  } catch (err) {
    return { ...state, edit: { ...edit, error: (err as Error).message } };
  }
}

function dataCommand(state: AppState, cmd: KeyCommand): AppState {
  // After a failure, enter retries like r; otherwise it moves on.
  if ((cmd === 'next' || cmd === 'retryData') && state.data.status === 'error')
    return withEffects({ ...state, data: { status: 'loading', files: [], messages: [] } }, { kind: 'loadData' });
  if (cmd === 'next') return goto(state, 1);
  return state;
}

function modelCommand(state: AppState, cmd: KeyCommand): AppState {
  const { spec, selected } = state.model;
  const rows = spec.hidden.length + 1;
  const onOutput = selected >= spec.hidden.length;
  const setLayer = (patch: Partial<ModelSpec['hidden'][number]>) =>
    setSpec(state, { ...spec, hidden: spec.hidden.map((l, j) => (j === selected ? { ...l, ...patch } : l)) });
  switch (cmd) {
    case 'next':
      if (state.model.error) return { ...state, status: `fix the model first: ${state.model.error}` };
      return goto(state, 1);
    case 'back':
      return goto(state, -1);
    case 'up':
      return { ...state, model: { ...state.model, selected: (selected - 1 + rows) % rows } };
    case 'down':
      return { ...state, model: { ...state.model, selected: (selected + 1) % rows } };
    case 'left':
    case 'right': {
      const dir = cmd === 'right' ? 1 : -1;
      if (onOutput) return setSpec(state, { ...spec, finalActivation: cycle(ACTIVATIONS, spec.finalActivation, dir) });
      const units = spec.hidden[selected].units;
      return setLayer({ units: Math.min(MAX_HIDDEN_UNITS, Math.max(1, dir > 0 ? units * 2 : Math.floor(units / 2))) });
    }
    case 'addLayer': {
      if (spec.hidden.length >= MAX_HIDDEN_LAYERS)
        return { ...state, status: `at most ${MAX_HIDDEN_LAYERS} hidden layers` };
      const at = Math.min(selected + 1, spec.hidden.length);
      const template = spec.hidden[Math.min(selected, spec.hidden.length - 1)] ?? {
        units: 128,
        activation: 'relu' as Activation,
        dropout: 0,
      };
      const hidden = [...spec.hidden.slice(0, at), { ...template }, ...spec.hidden.slice(at)];
      return setSpec(state, { ...spec, hidden }, at);
    }
    case 'removeLayer': {
      if (onOutput) return { ...state, status: 'the output layer stays (10 classes); select a hidden layer to remove' };
      const hidden = spec.hidden.filter((_, j) => j !== selected);
      return setSpec(state, { ...spec, hidden }, Math.min(selected, hidden.length));
    }
    case 'cycleActivation':
      if (onOutput) return setSpec(state, { ...spec, finalActivation: cycle(ACTIVATIONS, spec.finalActivation) });
      return setLayer({ activation: cycle(ACTIVATIONS, spec.hidden[selected].activation) });
    case 'cycleDropout': {
      if (onOutput) return { ...state, status: 'dropout applies to hidden layers' };
      const d = spec.hidden[selected].dropout;
      return setLayer({ dropout: DROPOUTS[(DROPOUTS.findIndex((x) => x >= d - 1e-9) + 1) % DROPOUTS.length] ?? 0 });
    }
    case 'cyclePreset': {
      const current = state.model.preset;
      const name: PresetName = current === 'custom' ? PRESET_NAMES[0] : cycle(PRESET_NAMES, current);
      return setSpec(
        state,
        { ...PRESETS[name], hidden: PRESETS[name].hidden.map((l) => ({ ...l })), logSoftmax: spec.logSoftmax },
        0,
      );
    }
    case 'edit':
      if (onOutput) return { ...state, status: 'the output layer has 10 units (one per class)' };
      return { ...state, edit: { target: 'model.units', buffer: '' } };
    default:
      return state;
  }
}

function hpCommand(state: AppState, cmd: KeyCommand): AppState {
  const tune = state.hp.tune;
  // The tuning panel: enter applies its result, esc closes it (and stops a running search).
  if (tune.status !== 'idle') {
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
        ? setSpec(state, { ...tune.best.spec, logSoftmax: tune.best.hyperparameters.loss === 'nll' }, 0)
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
  const fields = hyperparameterFields(state.hp.form);
  const field = fields[state.hp.selected];
  switch (cmd) {
    case 'next': {
      const error = validationError(state, state.hp.form);
      if (error) return { ...state, hp: { ...state.hp, error }, status: `can't train yet: ${error}` };
      const next: AppState = { ...state, step: 'train' };
      const persisted = withEffects(next, { kind: 'persistSettings' });
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
        ...setForm(state, { hyperparameters: SEED_HYPERPARAMETERS, engine: 'onnx' }),
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

function trainCommand(state: AppState, cmd: KeyCommand): AppState {
  const t = state.train;
  const running = isTraining(state);
  const control = (command: Parameters<typeof withEffects>[1] & { kind: 'control' }, patch: Partial<TrainState>) =>
    withEffects({ ...state, train: { ...t, ...patch } }, command);
  switch (cmd) {
    case 'next':
      if (running || t.status === 'waiting')
        return { ...state, status: 'training is running: s stops after this epoch, x aborts now' };
      if (t.status === 'error') return goto(state, -1);
      if (!t.model) return { ...state, status: 'nothing trained yet' };
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

function taskCommand(state: AppState, cmd: KeyCommand): AppState {
  if (cmd === 'back') return goto(state, -1);
  if (state.step === 'save') {
    if (cmd === 'edit' && state.save.status !== 'working')
      return { ...state, edit: { target: 'save.dir', buffer: state.save.dir } };
    if (cmd !== 'next') return state;
    if (state.save.status === 'idle' || state.save.status === 'error')
      return withEffects({ ...state, save: { ...state.save, status: 'working', error: undefined } }, { kind: 'save' });
    if (state.save.status === 'done') {
      const next = { ...state, step: 'export' as const };
      return state.export.status === 'done'
        ? next
        : withEffects({ ...next, export: { status: 'working' } }, { kind: 'export' });
    }
    return state;
  }
  if (state.step === 'export') {
    if (cmd !== 'next') return state;
    if (state.export.status === 'error' || state.export.status === 'idle')
      return withEffects({ ...state, export: { status: 'working' } }, { kind: 'export' });
    if (state.export.status === 'done') {
      const next = { ...state, step: 'verify' as const };
      return state.verify.status === 'done'
        ? next
        : withEffects({ ...next, verify: { status: 'working' } }, { kind: 'verify' });
    }
    return state;
  }
  // verify
  if (cmd !== 'next') return state;
  if (state.verify.status === 'error' || state.verify.status === 'idle')
    return withEffects({ ...state, verify: { status: 'working' } }, { kind: 'verify' });
  if (state.verify.status === 'done') return exit(state, 0);
  return state;
}

/**
 * Applies a flush of events; consecutive batch events are folded at once (one copy of the
 * loss arrays per flush rather than per batch: a flush holds ~100 ms of batches).
 */
function foldTrainEvents(state: AppState, events: readonly (TrainingEvent | PreviewEvent)[], now: number): AppState {
  let s = state;
  let i = 0;
  while (i < events.length) {
    const e = events[i];
    if (e.type !== 'batchEnd') {
      s = trainEvent(s, e, now);
      i++;
      continue;
    }
    let j = i;
    while (j < events.length && events[j].type === 'batchEnd') j++;
    s = batchEvents(s, events.slice(i, j) as Extract<TrainingEvent, { type: 'batchEnd' }>[], now);
    i = j;
  }
  return s;
}

function batchEvents(
  state: AppState,
  batches: readonly Extract<TrainingEvent, { type: 'batchEnd' }>[],
  now: number,
): AppState {
  const t = state.train;
  const losses = t.losses.slice(Math.max(0, t.losses.length + batches.length - LOSS_HISTORY));
  const smoothed = t.smoothed.slice(Math.max(0, t.smoothed.length + batches.length - LOSS_HISTORY));
  let ema = t.smoothed.length === 0 ? undefined : t.smoothed[t.smoothed.length - 1];
  for (const b of batches) {
    ema = ema === undefined ? b.loss : SMOOTHING * ema + (1 - SMOOTHING) * b.loss;
    losses.push(b.loss);
    smoothed.push(ema);
  }
  const e = batches[batches.length - 1];
  const elapsed = t.epochStartedAt !== undefined ? (now - t.epochStartedAt) / 1000 : 0;
  const samplesPerSecond = elapsed > 0.05 ? e.samplesSeen / elapsed : t.samplesPerSecond;
  const remainingSamples = e.trainSize - e.samplesSeen + (t.epochs - e.epoch) * e.trainSize;
  return {
    ...state,
    train: {
      ...t,
      epoch: e.epoch,
      batch: e.batch,
      samplesSeen: e.samplesSeen,
      trainSize: e.trainSize,
      learningRate: e.learningRate,
      losses: losses.slice(-LOSS_HISTORY),
      smoothed: smoothed.slice(-LOSS_HISTORY),
      samplesPerSecond,
      epochEtaSeconds: samplesPerSecond > 0 ? (e.trainSize - e.samplesSeen) / samplesPerSecond : undefined,
      etaSeconds: samplesPerSecond > 0 ? remainingSamples / samplesPerSecond : undefined,
    },
  };
}

function trainEvent(state: AppState, e: TrainingEvent | PreviewEvent, now: number): AppState {
  const t = state.train;
  const set = (patch: Partial<TrainState>, log?: LogEntry): AppState => ({
    ...state,
    train: { ...t, ...patch },
    log: log ? [...state.log, log] : state.log,
  });
  switch (e.type) {
    case 'trainBegin':
      return set(
        {
          status: t.status === 'starting' ? 'running' : t.status,
          backend: e.backend,
          trainSize: e.trainSize,
          stepsPerEpoch: e.stepsPerEpoch,
          epochs: e.hyperparameters.epochs,
          learningRate: e.hyperparameters.learningRate,
        },
        {
          id: `run${t.runId}`,
          kind: 'runHeader',
          text: `run ${t.runId}: ${e.parameterCount.toLocaleString('en-US')} params, ${e.trainSize.toLocaleString('en-US')} images · ${e.backend}`,
        },
      );
    case 'epochBegin':
      return set({
        epoch: e.epoch,
        epochs: e.epochs,
        batch: 0,
        samplesSeen: 0,
        epochStartedAt: now,
        epochEtaSeconds: undefined,
      });
    case 'batchEnd':
      return batchEvents(state, [e], now);
    case 'epochEnd':
      return set(
        {
          history: [...t.history, e],
          epochs: e.epochs,
          samplesSeen: t.trainSize || t.samplesSeen,
          status: t.status === 'stopping' ? 'stopping' : t.status,
        },
        { id: `run${t.runId}-epoch${e.epoch}`, kind: 'epoch', metrics: e, epochs: e.epochs },
      );
    case 'preview':
      return set({ predictions: { epoch: e.epoch, items: e.predictions } });
    case 'paused':
      return set({ status: 'paused', pausedAt: now, notice: `paused at epoch ${e.at.epoch}, batch ${e.at.batch}` });
    case 'resumed': {
      // The pause does not count as training time: move the epoch's start forward by its length.
      const paused = t.pausedAt !== undefined ? now - t.pausedAt : 0;
      const epochStartedAt = t.epochStartedAt !== undefined ? t.epochStartedAt + paused : undefined;
      return set({
        status: t.status === 'paused' || t.status === 'pausing' ? 'running' : t.status,
        notice: 'resumed',
        pausedAt: undefined,
        epochStartedAt,
      });
    }
    case 'learningRateChanged':
      return set({ learningRate: e.learningRate });
    case 'epochsChanged':
      return set({ epochs: e.epochs });
    case 'trainEnd': {
      const why = e.reason === 'completed' ? 'finished' : e.reason === 'stopped' ? 'stopped' : 'aborted';
      return set(
        {
          status: 'finished',
          endReason: e.reason,
          seconds: e.seconds,
          notice: undefined,
          etaSeconds: 0,
          epochEtaSeconds: 0,
        },
        {
          id: `run${t.runId}-end`,
          kind: 'note',
          text: `training ${why} after ${e.epochsCompleted} epoch${e.epochsCompleted === 1 ? '' : 's'} in ${e.seconds.toFixed(1)}s`,
        },
      );
    }
    case 'error':
      return set({ status: 'error', error: e.message });
  }
}
