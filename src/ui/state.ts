// The app's state: plain data, changed only by the reducer.
import type { Dataset } from '../core/dataset/types.js';
import type { RenderStyle } from '../core/render/image-preview.js';
import { PRESETS, type ModelSpec, type PresetName } from '../core/model/spec.js';
import type { EngineName } from '../core/train/engine.js';
import type { EpochMetrics, TrainingCommand } from '../core/train/events.js';
import { SEED_HYPERPARAMETERS, type Hyperparameters } from '../core/train/hyperparameters.js';
import type { HpForm } from './fields.js';
import { EMPTY_INSIGHT, type InsightState } from './insight-state.js';
import { modelState, type ModelState } from './model-state.js';
import type {
  ExportResult,
  LrFinderResult,
  Prediction,
  SaveResult,
  SearchTrial,
  TrainedModel,
  VerifyResult,
} from './services.js';

export { modelState, presetOf, type ModelState } from './model-state.js';

/** Questions asked before something is lost: quit while training, quit or retrain over an unsaved model. */
export type Question = 'quitTraining' | 'quitUnsaved' | 'retrainUnsaved';

export const STEPS = ['data', 'model', 'hyperparameters', 'train', 'save', 'export', 'verify'] as const;
export type StepId = (typeof STEPS)[number];
export const STEP_TITLES: Record<StepId, string> = {
  data: 'Data',
  model: 'Model',
  hyperparameters: 'Hyperparameters',
  train: 'Train',
  save: 'Save',
  export: 'Export',
  verify: 'Verify',
};

export interface FileProgress {
  readonly file: string;
  readonly bytes: number;
  readonly total: number;
  readonly bytesPerSecond: number;
  readonly etaSeconds?: number;
  readonly verified?: boolean;
  readonly phase?: 'downloading' | 'downloaded' | 'verifying' | 'verified' | 'rejected';
  readonly reason?: string;
}

export interface DataSummary {
  readonly source: string;
  readonly subset: boolean;
  readonly verified: boolean;
  readonly trainCount: number;
  readonly testCount: number;
  readonly trainClassCounts: readonly number[];
  readonly testClassCounts: readonly number[];
  /** A few training images for the preview grid. */
  readonly samples: readonly { readonly pixels: Uint8Array; readonly label: number }[];
}

export interface DataState {
  readonly status: 'loading' | 'ready' | 'error';
  readonly source?: string;
  readonly files: readonly FileProgress[];
  readonly messages: readonly string[];
  readonly summary?: DataSummary;
  readonly dataset?: Dataset;
  readonly error?: string;
}

export interface TuneState {
  readonly status: 'idle' | 'finding' | 'found' | 'searching' | 'searched' | 'error';
  readonly finder?: LrFinderResult;
  readonly trials: readonly SearchTrial[];
  readonly best?: SearchTrial;
  readonly error?: string;
  /** The search was stopped with esc; its finished trials are kept. */
  readonly stopped?: boolean;
}

export interface HpState {
  readonly form: HpForm;
  readonly selected: number;
  /** Why the current values cannot be used (validateHyperparameters' reason), if so. */
  readonly error?: string;
  /** A legal value that is almost surely a slip (lr above 1…): shown, not refused. */
  readonly warning?: string;
  /** The values came from the last session's settings (until r resets them). */
  readonly fromSettings?: boolean;
  readonly tune: TuneState;
}

export type TrainStatus =
  | 'idle'
  | 'waiting'
  | 'starting'
  | 'running'
  | 'pausing'
  | 'paused'
  | 'stopping'
  | 'aborting'
  | 'finished'
  | 'error';

export interface TrainState {
  readonly status: TrainStatus;
  /** Increments with each started run, so hooks and <Static> rows tell runs apart. */
  readonly runId: number;
  readonly endReason?: 'completed' | 'stopped' | 'aborted';
  /** Set when early stopping ended the run: why, in one line (core's earlyStopMessage). */
  readonly stoppedEarly?: string;
  readonly backend?: string;
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly stepsPerEpoch: number;
  readonly samplesSeen: number;
  readonly trainSize: number;
  readonly learningRate: number;
  /** Recent batch losses (capped) and their exponential moving average. */
  readonly losses: readonly number[];
  readonly smoothed: readonly number[];
  readonly epochStartedAt?: number;
  /** When the current pause began (ms), so paused time counts neither in samples/s nor in the ETA. */
  readonly pausedAt?: number;
  readonly samplesPerSecond: number;
  /** Seconds left in this epoch, and in the whole run. */
  readonly epochEtaSeconds?: number;
  readonly etaSeconds?: number;
  readonly history: readonly EpochMetrics[];
  readonly predictions?: { readonly epoch: number; readonly items: readonly Prediction[] };
  readonly seconds?: number;
  readonly error?: string;
  /** Last key effect to acknowledge on screen ("pausing…", "lr → 5e-4"). */
  readonly notice?: string;
  readonly model?: TrainedModel;
}

export interface TaskState<R> {
  readonly status: 'idle' | 'working' | 'done' | 'error';
  readonly result?: R;
  readonly error?: string;
  /** The error was "the folder already holds this": o overwrites, e picks another name. */
  readonly exists?: boolean;
}

/** One line kept in <Static> (printed once, above the live area). */
export type LogEntry =
  | { readonly id: string; readonly kind: 'runHeader'; readonly text: string }
  | { readonly id: string; readonly kind: 'epoch'; readonly metrics: EpochMetrics; readonly epochs: number }
  | { readonly id: string; readonly kind: 'note'; readonly text: string };

export interface EditState {
  /** hp field id, 'model.units', 'model.finalActivation', 'model.layer', 'model.insert', 'model.layers' or 'save.dir'. */
  readonly target: string;
  readonly buffer: string;
  readonly error?: string;
  /**
   * The buffer holds the current value, as if selected: the first text typed (or pasted) replaces
   * it, backspace starts editing it.
   */
  readonly replace?: boolean;
}

export type Effect =
  | { readonly id: number; readonly kind: 'loadData' }
  | { readonly id: number; readonly kind: 'startTraining' }
  | { readonly id: number; readonly kind: 'control'; readonly command: TrainingCommand }
  | { readonly id: number; readonly kind: 'save'; readonly overwrite?: boolean }
  | { readonly id: number; readonly kind: 'export'; readonly overwrite?: boolean }
  | { readonly id: number; readonly kind: 'verify' }
  | { readonly id: number; readonly kind: 'persistSettings' }
  | { readonly id: number; readonly kind: 'lrFind' }
  | { readonly id: number; readonly kind: 'search' }
  | { readonly id: number; readonly kind: 'cancelTune' }
  | { readonly id: number; readonly kind: 'listRuns'; readonly root: string }
  | { readonly id: number; readonly kind: 'exit'; readonly code: number };

export interface AppState {
  readonly step: StepId;
  readonly overlay?: 'help' | 'confirm';
  /** What the confirm overlay asks (y does it, n/esc keeps things as they are). */
  readonly question?: Question;
  readonly edit?: EditState;
  readonly columns: number;
  readonly rows: number;
  readonly color: boolean;
  /** How image previews are drawn (detectRenderStyle). */
  readonly imageStyle: RenderStyle;
  readonly data: DataState;
  readonly model: ModelState;
  readonly hp: HpState;
  readonly train: TrainState;
  readonly save: TaskState<SaveResult> & { readonly dir: string };
  readonly export: TaskState<ExportResult>;
  readonly verify: TaskState<VerifyResult>;
  /** The analysis view, the Train step's charts, the Runs view. */
  readonly insight: InsightState;
  readonly log: readonly LogEntry[];
  /** Side effects for the hooks to run, in order (the reducer stays pure). */
  readonly effects: readonly Effect[];
  readonly nextEffectId: number;
  readonly exiting?: number;
  /** A one-line message on the status line (e.g. why Enter did nothing). */
  readonly status?: string;
}

export interface InitialOptions {
  readonly spec?: ModelSpec;
  readonly preset?: PresetName | 'custom';
  readonly hyperparameters?: Hyperparameters;
  readonly engine?: EngineName;
  readonly columns?: number;
  readonly rows?: number;
  readonly color?: boolean;
  readonly imageStyle?: RenderStyle;
  /** Where Save writes (default runs/<timestamp>). */
  readonly saveDir: string;
  /** The form starts from the last-used settings (not the seed's): the screen says so, and that r resets. */
  readonly settingsLoaded?: boolean;
}

export const EMPTY_TRAIN: TrainState = {
  status: 'idle',
  runId: 0,
  epoch: 0,
  epochs: 0,
  batch: 0,
  stepsPerEpoch: 0,
  samplesSeen: 0,
  trainSize: 0,
  learningRate: 0,
  losses: [],
  smoothed: [],
  samplesPerSecond: 0,
  history: [],
};

export function initialState(options: InitialOptions): AppState {
  const spec: ModelSpec = options.spec ?? PRESETS.seed;
  return {
    step: 'data',
    columns: options.columns ?? 80,
    rows: options.rows ?? 24,
    color: options.color ?? true,
    imageStyle: options.imageStyle ?? { style: 'unicode', color: false, palette: 'ansi256' },
    data: { status: 'loading', files: [], messages: [] },
    model: modelState(spec),
    hp: {
      form: { hyperparameters: options.hyperparameters ?? SEED_HYPERPARAMETERS, engine: options.engine ?? 'onnx' },
      selected: 0,
      tune: { status: 'idle', trials: [] },
      fromSettings: options.settingsLoaded,
    },
    train: EMPTY_TRAIN,
    save: { status: 'idle', dir: options.saveDir },
    export: { status: 'idle' },
    verify: { status: 'idle' },
    insight: EMPTY_INSIGHT,
    log: [],
    effects: [{ id: 1, kind: 'loadData' }],
    nextEffectId: 2,
  };
}
