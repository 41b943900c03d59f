/**
 * "A model" as `fmnist-tui analyze` accepts it — an exported model.onnx, a weights or
 * checkpoint file, or a run folder — opened for inference in onnxruntime, and its logits on a
 * split. Weights and checkpoints run through the same inference graph `export` writes.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NUM_CLASSES, PIXELS, type Split } from '../core/dataset/types.js';
import { UserError } from '../core/errors.js';
import { describeFsError } from './atomic.js';
import { readModelFile } from './model-file.js';
import { encodeOnnxExport } from './onnx-export.js';
import { openOnnxBytes, openOnnxModel, type OnnxModel } from './onnx-model.js';
import { RUN_FILES } from './run-folder-files.js';

export interface OpenedModel {
  /** The file that was opened, and what it is. */
  readonly path: string;
  readonly kind: 'onnx' | 'weights' | 'checkpoint';
  readonly model: OnnxModel;
}

/** The model file inside a run folder: model.onnx, else the weights, else the checkpoint. */
export function modelInRunFolder(dir: string): string | undefined {
  for (const name of [RUN_FILES.onnx, RUN_FILES.weights, RUN_FILES.checkpoint]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export async function openAnyModel(path: string): Promise<OpenedModel> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw new UserError(`cannot read ${path}: ${describeFsError(err)}`, { cause: err });
  }
  if (isDir) {
    const inside = modelInRunFolder(path);
    if (!inside)
      throw new UserError(
        `${path} holds no model (${RUN_FILES.onnx}, ${RUN_FILES.weights} or ${RUN_FILES.checkpoint}); ` +
          "pass a run folder saved by 'train --save' or a model file",
      );
    return openAnyModel(inside);
  }
  if (/\.onnx$/i.test(path)) return { path, kind: 'onnx', model: await openOnnxModel(path) };
  const file = await readModelFile(path);
  const model = await openOnnxBytes(encodeOnnxExport(file.spec, file.parameters).bytes, path);
  return { path, kind: file.kind, model };
}

/** Logits of every image of `split`, in batches of `batchSize`. */
export async function splitLogits(
  model: OnnxModel,
  split: Split,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<Float32Array> {
  const batch = options.batchSize ?? 1000;
  const out = new Float32Array(split.count * NUM_CLASSES);
  for (let start = 0; start < split.count; start += batch) {
    const n = Math.min(batch, split.count - start);
    out.set(await model.run(split.images.subarray(start * PIXELS, (start + n) * PIXELS), n), start * NUM_CLASSES);
    options.onProgress?.(start + n, split.count);
  }
  return out;
}
