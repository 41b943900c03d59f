/**
 * "A trained model" as the export and verify commands accept it: a weights file or a
 * checkpoint (both safetensors), told apart by their metadata.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import type { ModelSpec } from '../core/model/spec.js';
import type { NamedTensors } from '../core/tensors.js';
import { checkpointFromSafetensors, type Checkpoint } from './checkpoint.js';
import { RUN_FILES } from './run-folder-files.js';
import {
  assertFiniteTensors,
  KIND_METADATA_KEY,
  checkParameters,
  decodeSafetensors,
  readFileBytes,
  specFromMetadata,
} from './safetensors.js';

export interface ModelFile {
  readonly path: string;
  readonly kind: 'weights' | 'checkpoint';
  readonly spec: ModelSpec;
  readonly parameters: NamedTensors;
  /** Present for checkpoints. */
  readonly checkpoint?: Checkpoint;
}

/**
 * Read weights or a checkpoint. `spec` is needed only for weights written by other tools
 * (no spec in their metadata); when given it must match the file's shapes.
 */
export async function readModelFile(path: string, spec?: ModelSpec): Promise<ModelFile> {
  const contents = decodeSafetensors(await readFileBytes(path), path);
  const { tensors, metadata } = contents;
  if (metadata[KIND_METADATA_KEY] === 'checkpoint') {
    const checkpoint = checkpointFromSafetensors(contents, path);
    if (spec) checkParameters(checkpoint.parameters, spec, path);
    return { path, kind: 'checkpoint', spec: checkpoint.spec, parameters: checkpoint.parameters, checkpoint };
  }
  const fileSpec = specFromMetadata(metadata, path);
  const use = spec ?? fileSpec;
  if (!use)
    throw new UserError(`${path} has no fmnist-tui model spec in its metadata; say which model it is with --preset`);
  const parameters = checkParameters(tensors, use, path);
  assertFiniteTensors(parameters, path);
  return { path, kind: 'weights', spec: use, parameters };
}

/** The weights or checkpoint saved beside an exported model in a run folder, if any. */
export function findReferenceBeside(onnxPath: string): string | undefined {
  const dir = dirname(onnxPath);
  for (const name of [RUN_FILES.weights, RUN_FILES.checkpoint]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}
