/**
 * A run folder (`fmnist-tui train --save DIR`, the session's Save / Export / Verify): everything a
 * finished run leaves behind:
 *   checkpoint.ckpt     weights + optimizer state + training state, for --resume (written first)
 *   model.safetensors   weights (PyTorch state_dict, loads with safetensors.torch.load_file)
 *   model.py            the PyTorch source of the model (NeuralNetwork, loads model.safetensors strictly)
 *   metrics.json        spec, hyperparameters and the per-epoch history
 *   curves.png          loss and accuracy per epoch, the whole run's batch loss
 *   confusion.png       the test split's confusion matrix
 *   model.onnx          the inference model
 *   verify-report.json  onnxruntime check of model.onnx against the in-memory model
 *
 * One writer, in three steps that `train --save` and the session both call:
 *   writeRunFolder   checkpoint + weights + metrics + plots, the folder as a whole (staged, renamed)
 *   exportRunFolder  model.onnx (atomic; drops a verify report it makes stale)
 *   verifyRunFolder  checks model.onnx, writes verify-report.json
 * and saveRun, which runs all three in one temporary folder and renames it into place once.
 * Every step holds the folder's lock, leaves nothing behind when it fails, and can be retried.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pytorchSource } from '../core/model/pytorch.js';
import { VERSION } from '../version.js';
import { writeFileAtomic } from './atomic.js';
import { exportOnnx, type ExportResult } from './onnx-export.js';
import { RUN_FILES, type RunFileKind } from './run-folder-files.js';
import { writeRunPlots } from './run-plots.js';
import { encodeRunCheckpoint, exportedWeights, metricsJson, type RunState } from './run-state.js';
import { fileInfos, type RunFileInfo, type SaveReport } from './save-report.js';
import {
  assertFolderUsable,
  commitStaging,
  createStaging,
  inspectFolder,
  resolveRunDir,
  RunFolderExistsError,
  withRunLock,
  type RunLock,
} from './run-folder-store.js';
import { writeWeights } from './safetensors.js';
import { verifyExport, type VerifyReport } from './verify.js';

export { RUN_FILES, RunFolderExistsError, type RunFileKind, type RunLock };

export type SaveStage = RunFileKind | 'verify';
export type ProgressCallback = (stage: SaveStage, detail?: { done: number; total: number }) => void;

export interface StepOptions {
  /** Replace what the folder holds (the whole run for writeRunFolder/saveRun, model.onnx for export). */
  readonly overwrite?: boolean;
  /** The folder's lock when the caller already holds it (train --save locks before training). */
  readonly lock?: RunLock;
  /** Called as each file is started, and with verification progress. */
  readonly onProgress?: ProgressCallback;
}

export interface VerifyStepOptions extends Omit<StepOptions, 'overwrite'> {
  /** Verify at batch size 1 on this many test images (default: all of them). */
  readonly batchOneCount?: number;
}

export interface SaveOptions extends StepOptions {
  /** Verification settings (defaults: all test images at batch 1 and in one batch). */
  readonly verify?: { readonly batchOneCount?: number; readonly skip?: boolean };
}

/** A timestamped folder name such as runs/2026-11-27T07-31-05 (no colons: safe on every OS). */
export function defaultRunDir(now = new Date(), root = 'runs'): string {
  return join(root, now.toISOString().slice(0, 19).replace(/:/g, '-'));
}

// The steps' bodies, writing into a folder that exists and is this writer's alone.

async function writeModelFiles(folder: string, run: RunState, onProgress?: ProgressCallback): Promise<void> {
  // The checkpoint first: whatever stops the save later, --resume has what it needs.
  onProgress?.('checkpoint');
  await writeFileAtomic(join(folder, RUN_FILES.checkpoint), encodeRunCheckpoint(run), { force: true });
  onProgress?.('weights');
  await writeWeights(join(folder, RUN_FILES.weights), run.parameters, run.spec, { force: true });
  onProgress?.('modelPy');
  await writeFileAtomic(join(folder, RUN_FILES.modelPy), pytorchSource(run.spec, `fmnist-tui ${VERSION}`), {
    force: true,
  });
  onProgress?.('metrics');
  await writeFileAtomic(join(folder, RUN_FILES.metrics), metricsJson(run), { force: true });
  if (run.best) {
    onProgress?.('best');
    await writeWeights(join(folder, RUN_FILES.best), run.best.parameters, run.spec, { force: true });
  }
  await writeRunPlots(
    folder,
    { ...run, test: run.dataset.test, predict: (images, count) => run.engine.predict(images, count) },
    onProgress,
  );
}

async function writeExport(folder: string, run: RunState, onProgress?: ProgressCallback): Promise<ExportResult> {
  onProgress?.('onnx');
  // A new model.onnx makes an earlier verification report wrong: it goes first.
  await rm(join(folder, RUN_FILES.verifyReport), { force: true });
  const exported = exportedWeights(run);
  return exportOnnx(join(folder, RUN_FILES.onnx), run.spec, exported.parameters, {
    testAccuracy: exported.testAccuracy,
    force: true,
  });
}

async function writeVerification(
  folder: string,
  reportDir: string,
  run: RunState,
  options: { batchOneCount?: number; onProgress?: ProgressCallback },
): Promise<VerifyReport> {
  options.onProgress?.('verify');
  const report = await verifyExport({
    onnxPath: join(folder, RUN_FILES.onnx),
    reference: (images, count) => run.engine.predict(images, count),
    referenceDescription: `the trained model in the ${run.engine.name} engine, ${run.engine.backend}`,
    test: run.dataset.test,
    batchOneCount: options.batchOneCount,
    onProgress: (_stage, done, total) => options.onProgress?.('verify', { done, total }),
  });
  const final = { ...report, onnxPath: join(reportDir, RUN_FILES.onnx) };
  options.onProgress?.('verifyReport');
  await writeFileAtomic(join(folder, RUN_FILES.verifyReport), `${JSON.stringify(final, null, 2)}\n`, { force: true });
  return final;
}

/** Write `fill` into a fresh temp folder beside `dir` and rename it into place; nothing is left on failure. */
async function staged<T>(dir: string, overwrite: boolean, fill: (folder: string) => Promise<T>): Promise<T> {
  assertFolderUsable(dir, overwrite); // refuse before writing anything
  const staging = await createStaging(dir);
  try {
    const result = await fill(staging);
    await commitStaging(staging, dir, overwrite);
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Step 1: checkpoint, weights and metrics, as a new run folder (or replacing one, with `overwrite`). */
export async function writeRunFolder(dir: string, run: RunState, options: StepOptions = {}): Promise<RunFileInfo[]> {
  const target = resolveRunDir(dir);
  await withRunLock(target, options.lock, () =>
    staged(target, options.overwrite ?? false, (folder) => writeModelFiles(folder, run, options.onProgress)),
  );
  return fileInfos(dir, ['checkpoint', 'weights', 'modelPy', 'metrics', 'best', 'curves', 'confusion']);
}

/** Step 2: model.onnx into the run folder (made if absent); an existing one is replaced only with `overwrite`. */
export async function exportRunFolder(dir: string, run: RunState, options: StepOptions = {}): Promise<ExportResult> {
  const target = resolveRunDir(dir);
  const result = await withRunLock(target, options.lock, async () => {
    if (!inspectFolder(target).exists) return staged(target, false, (f) => writeExport(f, run, options.onProgress));
    if (existsSync(join(target, RUN_FILES.onnx)) && !options.overwrite)
      throw new RunFolderExistsError(dir, RUN_FILES.onnx);
    return writeExport(target, run, options.onProgress);
  });
  return { ...result, path: join(dir, RUN_FILES.onnx) };
}

/** Step 3: verify the folder's model.onnx against the run's engine and write verify-report.json. */
export async function verifyRunFolder(
  dir: string,
  run: RunState,
  options: VerifyStepOptions = {},
): Promise<VerifyReport> {
  const target = resolveRunDir(dir);
  return withRunLock(target, options.lock, () => writeVerification(target, dir, run, options));
}

/** All three steps into one temp folder, renamed into place once: `train --save`. */
export async function saveRun(dir: string, run: RunState, options: SaveOptions = {}): Promise<SaveReport> {
  const target = resolveRunDir(dir);
  const verify = await withRunLock(target, options.lock, () =>
    staged(target, options.overwrite ?? false, async (folder) => {
      await writeModelFiles(folder, run, options.onProgress);
      await writeExport(folder, run, options.onProgress);
      if (options.verify?.skip) return undefined;
      return writeVerification(folder, dir, run, { ...options.verify, onProgress: options.onProgress });
    }),
  );
  const kinds: RunFileKind[] = [
    'weights',
    'checkpoint',
    'onnx',
    'verifyReport',
    'metrics',
    'modelPy',
    'best',
    'curves',
    'confusion',
  ];
  const files = await fileInfos(dir, verify ? kinds : kinds.filter((k) => k !== 'verifyReport'));
  return { dir, files, verify, verdict: verify ? verify.verdict : 'SKIPPED' };
}
