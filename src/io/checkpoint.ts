/**
 * Checkpoints (the seed's "save the whole model"): one safetensors file. Tensors are the
 * parameters under their state_dict names (so `safetensors.torch.load_file` + a filter loads
 * them into PyTorch) and the optimizer buffers under `optimizer/<buffer>/<parameter>`; the rest
 * (spec, hyperparameters, epoch, step, history, dataset fingerprint, …) is JSON in the
 * metadata. Why safetensors and not a container of our own: one parser, already strict about
 * truncation and layout, floats stored bit-exactly, and readable by other tools.
 */
import { UserError } from '../core/errors.js';
import { validateModelSpec, type ModelSpec } from '../core/model/spec.js';
import { ENGINE_NAMES, type EngineName, type OptimizerState } from '../core/train/engine.js';
import type { EpochMetrics } from '../core/train/events.js';
import {
  OPTIMIZER_DEFAULTS,
  validateHyperparameters,
  type Hyperparameters,
  type OptimizerName,
} from '../core/train/hyperparameters.js';
import { hasShape, type NamedTensors } from '../core/tensors.js';
import { VERSION } from '../version.js';
import { writeFileAtomic } from './atomic.js';
import {
  assertFiniteTensors,
  KIND_METADATA_KEY,
  OPTIMIZER_PREFIX,
  SPEC_METADATA_KEY,
  checkParameters,
  decodeSafetensors,
  encodeSafetensors,
  readFileBytes,
  specFromMetadata,
  type SafetensorsContents,
} from './safetensors.js';

/** `__metadata__` key holding the checkpoint's JSON fields. */
export const CHECKPOINT_METADATA_KEY = 'fmnist_tui.checkpoint';
/** Bumped when the layout changes incompatibly. */
export const CHECKPOINT_FORMAT_VERSION = 1;

export interface Checkpoint {
  readonly spec: ModelSpec;
  readonly hyperparameters: Hyperparameters;
  readonly parameters: NamedTensors;
  readonly optimizerState: OptimizerState;
  /** Completed epochs (training resumes at epoch + 1). */
  readonly epoch: number;
  /** Global optimizer steps taken so far (the schedule's position). */
  readonly step: number;
  readonly history: readonly EpochMetrics[];
  /** Dataset.fingerprint of the data it was trained on. */
  readonly datasetFingerprint: string;
  readonly engine: EngineName;
  /** ISO 8601 time the checkpoint was made. */
  readonly createdAt: string;
  /** fmnist-tui version that wrote it. */
  readonly version: string;
}

/** What writeCheckpoint needs: createdAt and version are filled in when absent. */
export type CheckpointInput = Omit<Checkpoint, 'createdAt' | 'version'> &
  Partial<Pick<Checkpoint, 'createdAt' | 'version'>>;

interface CheckpointJson {
  format: number;
  hyperparameters: Hyperparameters;
  optimizerStep: number;
  epoch: number;
  step: number;
  history: EpochMetrics[];
  datasetFingerprint: string;
  engine: EngineName;
  createdAt: string;
  version: string;
}

// JSON has no NaN or Infinity (a diverged run's loss): keep them as tagged strings.
const replacer = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isFinite(value) ? `__float:${value}` : value;
const reviver = (_key: string, value: unknown) =>
  typeof value === 'string' && value.startsWith('__float:') ? Number(value.slice(8)) : value;

/** Epochs whose per-batch loss curve a checkpoint keeps (older epochs keep their per-epoch figures). */
export const HISTORY_BATCH_DETAIL_EPOCHS = 100;

/**
 * The history a checkpoint stores: every epoch's row, but the per-batch loss buckets only for the
 * last HISTORY_BATCH_DETAIL_EPOCHS epochs, so a long run's checkpoint stays far below the
 * reader's header cap (~200 bytes an epoch: 100 MB is 500,000 epochs).
 */
export function compactHistory(history: readonly EpochMetrics[]): EpochMetrics[] {
  const keepFrom = history.length - HISTORY_BATCH_DETAIL_EPOCHS;
  return history.map((row, i) => {
    if (i >= keepFrom || row.batchLoss === undefined) return row;
    const { batchLoss: _dropped, ...rest } = row;
    return rest;
  });
}

export function encodeCheckpoint(checkpoint: CheckpointInput): Uint8Array {
  const parameters = checkParameters(checkpoint.parameters, checkpoint.spec, 'the checkpoint to save');
  const tensors: NamedTensors = new Map(parameters);
  for (const [key, t] of checkpoint.optimizerState.tensors) tensors.set(OPTIMIZER_PREFIX + key, t);
  const json: CheckpointJson = {
    format: CHECKPOINT_FORMAT_VERSION,
    hyperparameters: checkpoint.hyperparameters,
    optimizerStep: checkpoint.optimizerState.step,
    epoch: checkpoint.epoch,
    step: checkpoint.step,
    history: compactHistory(checkpoint.history),
    datasetFingerprint: checkpoint.datasetFingerprint,
    engine: checkpoint.engine,
    createdAt: checkpoint.createdAt ?? new Date().toISOString(),
    version: checkpoint.version ?? VERSION,
  };
  return encodeSafetensors(tensors, {
    format: 'pt',
    [KIND_METADATA_KEY]: 'checkpoint',
    [SPEC_METADATA_KEY]: JSON.stringify(checkpoint.spec),
    [CHECKPOINT_METADATA_KEY]: JSON.stringify(json, replacer),
  });
}

export function decodeCheckpoint(bytes: Uint8Array, what: string): Checkpoint {
  return checkpointFromSafetensors(decodeSafetensors(bytes, what), what);
}

/** A checkpoint from already-decoded safetensors contents (see decodeCheckpoint). */
export function checkpointFromSafetensors({ tensors, metadata }: SafetensorsContents, what: string): Checkpoint {
  if (metadata[KIND_METADATA_KEY] !== 'checkpoint' || metadata[CHECKPOINT_METADATA_KEY] === undefined) {
    const hint =
      metadata[KIND_METADATA_KEY] === 'weights'
        ? ' (it holds weights only: use it with --init-weights, or export it)'
        : '';
    throw new UserError(`${what} is not an fmnist-tui checkpoint${hint}`);
  }
  const bad = (why: string) => new UserError(`${what} is a damaged checkpoint: ${why}`);
  let json: CheckpointJson;
  try {
    json = JSON.parse(metadata[CHECKPOINT_METADATA_KEY], reviver) as CheckpointJson;
  } catch {
    throw bad('its metadata is not valid JSON');
  }
  if (typeof json !== 'object' || json === null) throw bad('its metadata is not an object');
  if (json.format !== CHECKPOINT_FORMAT_VERSION)
    throw new UserError(
      `${what} has checkpoint format ${json.format}; this fmnist-tui ${VERSION} reads format ${CHECKPOINT_FORMAT_VERSION}`,
    );
  const spec = specFromMetadata(metadata, what);
  if (!spec) throw bad('the model spec is missing');
  validateModelSpec(spec);
  const wholeNumber = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  if (!wholeNumber(json.epoch)) throw bad(`epoch ${json.epoch} is not a whole number`);
  if (!wholeNumber(json.step)) throw bad(`step ${json.step} is not a whole number`);
  if (!wholeNumber(json.optimizerStep)) throw bad(`optimizer step ${json.optimizerStep} is not a whole number`);
  if (!Array.isArray(json.history)) throw bad('the metrics history is not a list');
  if (!ENGINE_NAMES.includes(json.engine)) throw bad(`unknown engine '${json.engine}'`);
  if (typeof json.datasetFingerprint !== 'string') throw bad('the dataset fingerprint is missing');
  checkHyperparameters(json.hyperparameters, bad);
  checkHistory(json.history, bad);

  const params: NamedTensors = new Map();
  const optimizer: NamedTensors = new Map();
  for (const [name, t] of tensors) {
    if (name.startsWith(OPTIMIZER_PREFIX)) optimizer.set(name.slice(OPTIMIZER_PREFIX.length), t);
    else params.set(name, t);
  }
  const parameters = checkParameters(params, spec, what);
  assertFiniteTensors(parameters, what);
  assertFiniteTensors(optimizer, what);
  for (const [key, t] of optimizer) {
    const param = parameters.get(key.slice(key.indexOf('/') + 1));
    if (!key.includes('/') || !param) throw bad(`optimizer buffer '${key}' belongs to no parameter`);
    if (!hasShape(t, param.shape))
      throw bad(
        `optimizer buffer '${key}' has shape [${t.shape.join(', ')}], its parameter [${param.shape.join(', ')}]`,
      );
  }
  return {
    spec,
    hyperparameters: json.hyperparameters,
    parameters,
    optimizerState: { step: json.optimizerStep, tensors: optimizer },
    epoch: json.epoch,
    step: json.step,
    history: json.history,
    datasetFingerprint: json.datasetFingerprint,
    engine: json.engine,
    createdAt: String(json.createdAt),
    version: String(json.version),
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Every field the training loop reads, checked: a damaged file must never reach it as "internal error". */
function checkHyperparameters(hp: unknown, bad: (why: string) => UserError): void {
  if (!isObject(hp)) throw bad('hyperparameters are missing');
  if (!isObject(hp.optimizer)) throw bad('the optimizer settings are missing');
  if (!isObject(hp.schedule)) throw bad('the schedule is missing');
  if (typeof hp.shuffle !== 'boolean') throw bad('hyperparameters: shuffle is not true or false');
  const defaults = OPTIMIZER_DEFAULTS[hp.optimizer.kind as OptimizerName];
  if (!defaults) throw bad(`unknown optimizer kind '${String(hp.optimizer.kind)}'`);
  for (const [key, value] of Object.entries(defaults))
    if (typeof hp.optimizer[key] !== typeof value) throw bad(`optimizer ${key} is missing or not a ${typeof value}`);
  try {
    validateHyperparameters(hp as unknown as Hyperparameters);
  } catch (err) {
    throw bad(`hyperparameters: ${(err as Error).message}`);
  }
}

function checkHistory(history: readonly unknown[], bad: (why: string) => UserError): void {
  history.forEach((row, i) => {
    if (!isObject(row) || !Number.isSafeInteger(row.epoch)) throw bad(`history row ${i + 1} is not an epoch's metrics`);
  });
}

/** Write a checkpoint atomically; an existing file is replaced only with `force`. */
export async function writeCheckpoint(
  path: string,
  checkpoint: CheckpointInput,
  options: { force?: boolean } = {},
): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(checkpoint), { force: options.force, mkdirs: true });
}

/** Read and validate a checkpoint; one-line UserError for anything wrong. */
export async function readCheckpoint(path: string): Promise<Checkpoint> {
  return decodeCheckpoint(await readFileBytes(path), path);
}
