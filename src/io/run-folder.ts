/**
 * A run folder (`fmnist-tui train --save DIR`): everything a finished run leaves behind,
 * written so a failure never leaves half a folder:
 *   model.safetensors   weights (PyTorch state_dict, loads with safetensors.torch.load_file)
 *   checkpoint.ckpt     weights + optimizer state + training state, for --resume
 *   model.onnx          the inference model
 *   verify-report.json  onnxruntime check of model.onnx against the in-memory model
 *   metrics.json        spec, hyperparameters and the per-epoch history
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from '../core/dataset/types.js';
import { UserError } from '../core/errors.js';
import type { Engine } from '../core/train/engine.js';
import { VERSION } from '../version.js';
import { describeFsError, writeFileAtomic } from './atomic.js';
import { writeCheckpoint, type Checkpoint } from './checkpoint.js';
import { RUN_FILES, type RunFileKind } from './run-folder-files.js';
import { exportOnnx } from './onnx-export.js';
import { writeWeights } from './safetensors.js';
import { verifyExport, type VerifyReport } from './verify.js';

export { RUN_FILES, type RunFileKind };

/** The training state a run folder is written from: a checkpoint's fields plus the live engine and data. */
export interface RunState
  extends Pick<
    Checkpoint,
    'spec' | 'hyperparameters' | 'parameters' | 'optimizerState' | 'epoch' | 'step' | 'history'
  > {
  readonly dataset: Dataset;
  /** The engine holding the trained model: its predict() is the reference for verification. */
  readonly engine: Engine;
}

export type SaveStage = RunFileKind | 'verify';

export interface SaveOptions {
  readonly force?: boolean;
  /** Called as each file is started, and with verification progress. */
  readonly onProgress?: (stage: SaveStage, detail?: { done: number; total: number }) => void;
  /** Verification settings (defaults: all test images at batch 1 and in one batch). */
  readonly verify?: { readonly batchOneCount?: number; readonly skip?: boolean };
}

export interface SaveReport {
  readonly dir: string;
  readonly files: readonly { readonly kind: RunFileKind; readonly path: string; readonly bytes: number }[];
  /** Absent only when verification was skipped. */
  readonly verify?: VerifyReport;
  readonly verdict: 'PASS' | 'FAIL' | 'SKIPPED';
}

/** A timestamped folder name such as runs/2026-11-27T07-31-05 (no colons: safe on every OS). */
export function defaultRunDir(now = new Date(), root = 'runs'): string {
  return join(root, now.toISOString().slice(0, 19).replace(/:/g, '-'));
}

/** Save a finished (or stopped) run into `dir`. Files written before a failure are removed. */
export async function saveRun(dir: string, run: RunState, options: SaveOptions = {}): Promise<SaveReport> {
  const path = (kind: RunFileKind) => join(dir, RUN_FILES[kind]);
  // Check every target first, so a refusal happens before anything is written.
  if (!options.force) {
    const existing = (Object.keys(RUN_FILES) as RunFileKind[]).filter((k) => existsSync(path(k)));
    if (existing.length > 0)
      throw new UserError(
        `${path(existing[0])} already exists (use --force to replace the run folder's files, or save to a new folder)`,
      );
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`cannot create run folder ${dir}: ${describeFsError(err)}`, { cause: err });
  }
  const written: RunFileKind[] = [];
  const step = async (kind: RunFileKind, write: () => Promise<void>) => {
    options.onProgress?.(kind);
    const existed = existsSync(path(kind));
    await write();
    if (!existed) written.push(kind);
  };
  const force = options.force;
  try {
    const lastAccuracy = run.history.at(-1)?.testAccuracy;
    await step('weights', () => writeWeights(path('weights'), run.parameters, run.spec, { force }));
    await step('checkpoint', () =>
      writeCheckpoint(
        path('checkpoint'),
        {
          spec: run.spec,
          hyperparameters: run.hyperparameters,
          parameters: run.parameters,
          optimizerState: run.optimizerState,
          epoch: run.epoch,
          step: run.step,
          history: run.history,
          datasetFingerprint: run.dataset.fingerprint,
          engine: run.engine.name,
        },
        { force },
      ),
    );
    await step('metrics', () =>
      writeFileAtomic(
        path('metrics'),
        JSON.stringify(
          {
            version: VERSION,
            spec: run.spec,
            hyperparameters: run.hyperparameters,
            engine: run.engine.name,
            backend: run.engine.backend,
            epochsCompleted: run.epoch,
            steps: run.step,
            data: {
              source: run.dataset.source.description,
              subset: run.dataset.source.subset,
              fingerprint: run.dataset.fingerprint,
            },
            history: run.history,
          },
          (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
          2,
        ) + '\n',
        { force },
      ),
    );
    await step('onnx', async () => {
      await exportOnnx(path('onnx'), run.spec, run.parameters, { testAccuracy: lastAccuracy, force });
    });
    let verify: VerifyReport | undefined;
    if (!options.verify?.skip) {
      options.onProgress?.('verify');
      verify = await verifyExport({
        onnxPath: path('onnx'),
        reference: (images, count) => run.engine.predict(images, count),
        referenceDescription: `the trained model in the ${run.engine.name} engine, ${run.engine.backend}`,
        test: run.dataset.test,
        batchOneCount: options.verify?.batchOneCount,
        onProgress: (_stage, done, total) => options.onProgress?.('verify', { done, total }),
      });
      const report = verify;
      await step('verifyReport', () =>
        writeFileAtomic(path('verifyReport'), JSON.stringify(report, null, 2) + '\n', { force }),
      );
    }
    const files = [];
    for (const kind of Object.keys(RUN_FILES) as RunFileKind[]) {
      if (kind === 'verifyReport' && !verify) continue;
      files.push({ kind, path: path(kind), bytes: (await stat(path(kind))).size });
    }
    return { dir, files, verify, verdict: verify ? verify.verdict : 'SKIPPED' };
  } catch (err) {
    await Promise.all(written.map((k) => rm(path(k), { force: true })));
    throw err;
  }
}

/** "model.safetensors  2.7 MB" lines and the verdict, for the CLI and the TUI. */
export function formatSaveReport(report: SaveReport): string {
  const size = (n: number) =>
    n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`;
  const lines = [`Saved the run to ${report.dir}/`];
  for (const f of report.files) lines.push(`  ${RUN_FILES[f.kind].padEnd(20)} ${size(f.bytes).padStart(8)}`);
  if (report.verify)
    lines.push(
      `  verification: ${report.verdict} (max |Δ| ${report.verify.batched.maxAbsDiff.toExponential(2)}, argmax agreement ${report.verify.batched.argmaxAgreements.toLocaleString('en-US')}/${report.verify.batched.count.toLocaleString('en-US')}, ONNX accuracy ${(100 * report.verify.exportAccuracy).toFixed(2)}%)`,
    );
  else lines.push('  verification: skipped');
  return lines.join('\n');
}
