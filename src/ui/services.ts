import type { ModelAnalysis } from '../core/analysis/analysis.js';
import type { Dataset } from '../core/dataset/types.js';
import type { RunRecord } from '../core/runs/record.js';
import type { ModelSpec } from '../core/model/spec.js';
import type { EngineName } from '../core/train/engine.js';
import type { TrainingCommand, TrainingEvent } from '../core/train/events.js';
import type { Hyperparameters } from '../core/train/hyperparameters.js';
import type { NamedTensors } from '../core/tensors.js';

/**
 * The work the app runs, as ports: hooks call these and dispatch what comes back.
 * run-tui wires the real modules in (real-services.ts); tests pass small fakes.
 */
export interface Services {
  loadData(onProgress: (p: DataProgress) => void, signal: AbortSignal): Promise<Dataset>;
  startTraining(request: TrainingRequest): TrainingRun;
  saveRun(request: SaveRequest): Promise<SaveResult>;
  exportOnnx(request: ExportRequest): Promise<ExportResult>;
  verify(request: VerifyRequest): Promise<VerifyResult>;
  /** Persist the last-used settings (conf); never throws (a read-only config dir only loses persistence). */
  saveSettings(settings: PersistedSettings): void;
  /** Learning-rate range test (TUNE); absent when the module is unavailable. */
  findLearningRate?(request: TuneRequest, signal: AbortSignal): Promise<LrFinderResult>;
  /** Past runs under `root`, read from their folders (the Runs view); absent when unavailable. */
  listRuns?(root: string): Promise<readonly RunRecord[]>;
  /** Budgeted hyperparameter search (TUNE); absent when unavailable. */
  search?(request: TuneRequest, onTrial: (trial: SearchTrial) => void, signal: AbortSignal): Promise<SearchResult>;
}

/** Progress while the data is found, downloaded and verified (the DATA module's typed records). */
export type { DataProgress } from '../core/dataset/progress.js';
import type { DataProgress } from '../core/dataset/progress.js';

export interface TrainingRequest {
  readonly dataset: Dataset;
  readonly spec: ModelSpec;
  readonly hyperparameters: Hyperparameters;
  readonly engine: EngineName;
  /** Test images to predict after each epoch for the preview (indices into the test split). */
  readonly previewIndices: readonly number[];
}

/** A running training: the event stream, plus commands the other way. */
export interface TrainingRun {
  readonly events: AsyncIterable<TrainingEvent | PreviewEvent>;
  send(command: TrainingCommand): void;
  /** Trained parameters and optimizer state after the stream ended (for Save/Export/Verify). */
  result(): Promise<TrainedModel>;
}

/** The UI's own addition to the stream: predictions on a few test images after an epoch. */
export interface PreviewEvent {
  readonly type: 'preview';
  readonly epoch: number;
  readonly predictions: readonly Prediction[];
}

export interface Prediction {
  /** Index into the test split. */
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  readonly probability: number;
}

export interface TrainedModel {
  readonly spec: ModelSpec;
  readonly hyperparameters: Hyperparameters;
  readonly parameters: NamedTensors;
  /** Opaque extra state the save step keeps (optimizer state, history, position). */
  readonly extra?: unknown;
}

export interface SaveRequest {
  readonly dir: string;
  readonly dataset: Dataset;
  readonly model: TrainedModel;
  /**
   * Replace a run already saved in `dir`, as a whole. Without it such a folder is refused with a
   * RunFolderExistsError (io/run-folder-store.ts: `reason === 'exists'`), so the app can offer
   * "overwrite / another name".
   */
  readonly overwrite?: boolean;
}
export interface FileInfo {
  readonly path: string;
  readonly bytes: number;
  readonly what: string;
}
export interface SaveResult {
  readonly dir: string;
  readonly files: readonly FileInfo[];
}

export interface ExportRequest {
  readonly dir: string;
  readonly dataset: Dataset;
  readonly model: TrainedModel;
  /** Replace the folder's model.onnx (its verify report goes with it); otherwise refused as for Save. */
  readonly overwrite?: boolean;
}
export interface ExportResult {
  readonly file: FileInfo;
  readonly opset: number;
  readonly checkerPassed?: boolean;
  /** metadata_props written into the model (class names, input scaling, test accuracy…). */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface VerifyRequest {
  readonly onnxPath: string;
  readonly dir: string;
  readonly dataset: Dataset;
  readonly model: TrainedModel;
  readonly previewIndices: readonly number[];
}
export interface VerifyResult {
  readonly verdict: 'PASS' | 'FAIL';
  readonly images: number;
  readonly maxAbsDiff: number;
  readonly argmaxAgreement: number;
  readonly onnxAccuracy: number;
  readonly referenceAccuracy: number;
  /** Extra checks (batch size 1, large batch), as label → passed. */
  readonly checks: readonly { readonly name: string; readonly passed: boolean; readonly detail?: string }[];
  readonly reportPath?: string;
  readonly predictions: readonly Prediction[];
  /** What the exported model learned on the test split (the analysis view); absent if not computed. */
  readonly analysis?: ModelAnalysis;
}

export interface PersistedSettings {
  readonly spec: ModelSpec;
  readonly hyperparameters: Hyperparameters;
  readonly engine: EngineName;
}

export interface TuneRequest {
  readonly dataset: Dataset;
  readonly spec: ModelSpec;
  readonly hyperparameters: Hyperparameters;
  readonly engine: EngineName;
}
export interface LrFinderResult {
  readonly learningRates: readonly number[];
  readonly losses: readonly number[];
  readonly suggestion: number;
}
export interface SearchTrial {
  readonly id: number;
  readonly hyperparameters: Hyperparameters;
  /** The model the trial trained, when the search varies it (applied with the hyperparameters). */
  readonly spec?: ModelSpec;
  /** NaN until the trial's first epoch is evaluated. */
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly seconds: number;
  readonly status: 'running' | 'done' | 'stopped';
  /** Epochs the trial has trained (a halving search stops the weaker ones early: "stopped" after 1). */
  readonly epochs?: number;
  /** Trials the search plans in all (for "trial 3/8"). */
  readonly of?: number;
}
export interface SearchResult {
  readonly trials: readonly SearchTrial[];
  readonly best?: SearchTrial;
}
