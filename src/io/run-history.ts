/**
 * Past runs, read from their run folders' own files (metrics.json, else the checkpoint's
 * history): no second store to keep in step. Nothing here throws for a bad folder: it becomes
 * a record with notes.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { summariseRun, type RunRecord } from '../core/runs/record.js';
import { VERSION } from '../version.js';
import { describeFsError } from './atomic.js';
import { readModelFile } from './model-file.js';
import { RUN_FILES } from './run-folder-files.js';

/** A folder is a run folder when it holds any of the files a run leaves. */
export function isRunFolder(dir: string): boolean {
  return Object.values(RUN_FILES).some((name) => existsSync(join(dir, name)));
}

/**
 * The run folders under each root: the root itself when it is one, else its sub-folders that
 * are (sorted by name: timestamped names sort by date). A missing root is reported, not thrown.
 */
export async function findRunFolders(roots: readonly string[]): Promise<{ dirs: string[]; missing: string[] }> {
  const dirs: string[] = [];
  const missing: string[] = [];
  for (const root of roots) {
    if (!existsSync(root)) {
      missing.push(root);
      continue;
    }
    if (isRunFolder(root)) {
      dirs.push(root);
      continue;
    }
    let entries: string[] = [];
    try {
      entries = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      missing.push(root);
      continue;
    }
    for (const name of entries.sort()) if (isRunFolder(join(root, name))) dirs.push(join(root, name));
  }
  return { dirs, missing };
}

async function mtime(path: string): Promise<string | undefined> {
  try {
    return (await stat(path)).mtime.toISOString();
  } catch {
    return undefined;
  }
}

/** Read one run folder. Never throws. */
export async function readRun(dir: string): Promise<RunRecord> {
  const notes: string[] = [];
  const metricsPath = join(dir, RUN_FILES.metrics);
  const checkpointPath = join(dir, RUN_FILES.checkpoint);
  let metrics: unknown;
  if (existsSync(metricsPath)) {
    try {
      metrics = JSON.parse(await readFile(metricsPath, 'utf8'));
    } catch (err) {
      notes.push(
        `${RUN_FILES.metrics} is unreadable (${err instanceof SyntaxError ? 'not valid JSON' : describeFsError(err)})`,
      );
    }
  } else notes.push(`no ${RUN_FILES.metrics}`);
  let checkpoint: Parameters<typeof summariseRun>[0]['checkpoint'];
  if (metrics === undefined && existsSync(checkpointPath)) {
    try {
      const file = await readModelFile(checkpointPath);
      if (file.checkpoint)
        checkpoint = {
          spec: file.checkpoint.spec,
          hyperparameters: file.checkpoint.hyperparameters,
          history: file.checkpoint.history,
        };
      notes.push(`read the history from ${RUN_FILES.checkpoint}`);
    } catch (err) {
      notes.push(`${RUN_FILES.checkpoint} is unreadable (${(err as Error).message.split('\n')[0]})`);
    }
  }
  // A save that stopped part-way leaves some of the files: say which are missing.
  if (metrics !== undefined || checkpoint) {
    const absent = (['onnx', 'verifyReport'] as const).filter((k) => !existsSync(join(dir, RUN_FILES[k])));
    if (absent.length > 0) notes.push(`no ${absent.map((k) => RUN_FILES[k]).join(' or ')}`);
  }
  const date = (await mtime(metricsPath)) ?? (await mtime(checkpointPath)) ?? (await mtime(dir));
  return summariseRun({ dir, date, metrics, checkpoint, notes, currentVersion: VERSION });
}

export async function readRuns(dirs: readonly string[]): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  for (const d of dirs) out.push(await readRun(d));
  return out;
}
