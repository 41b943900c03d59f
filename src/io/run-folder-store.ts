/**
 * Where a run folder lives on disk, kept whole: every save is written into a hidden temporary
 * sibling folder and renamed into place in one step, so a run folder is never half old and half
 * new, and two processes saving into one folder cannot interleave. A folder in use is locked
 * (a `.NAME.lock` sibling holding the owner's process id); temp folders, temp files and locks
 * left by processes that died (SIGKILL, power loss) are swept the next time the folder is used.
 */
import { readdirSync, realpathSync, unlinkSync } from 'node:fs';
import { mkdir, readdir, rename, rm, statfs } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { describeFsError, tempPathFor } from './atomic.js';
import {
  lstatOrUndefined,
  makeDirectory,
  processAlive,
  readLockOwner,
  statOrUndefined,
  tryCreateLockFile,
} from './fs-safe.js';
import { RUN_FILES } from './run-folder-files.js';

/** A temp file or folder made by tempPathFor: `.<name>.<pid>.<8 hex>.tmp`. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;
const RUN_FILE_NAMES: ReadonlySet<string> = new Set(Object.values(RUN_FILES));

/** The folder already holds (part of) a saved run and `overwrite` was not given. */
export class RunFolderExistsError extends UserError {
  readonly reason = 'exists';
  constructor(
    readonly dir: string,
    readonly file: string,
  ) {
    super(`${dir} already holds a saved run (${file}); overwrite it, or choose another folder`);
    this.name = 'RunFolderExistsError';
  }
}

/** What is in a run folder's place now. */
export interface FolderContents {
  readonly exists: boolean;
  /** Run files present (model.onnx, checkpoint.ckpt, …). */
  readonly runFiles: readonly string[];
  /** Anything else (except temp files of this module, which are swept). */
  readonly foreign: readonly string[];
}

/**
 * The folder a run is written to, with a symlink resolved (the temp sibling must sit beside the
 * real folder for the rename to be atomic). Refuses files and dangling links with one line.
 */
export function resolveRunDir(dir: string): string {
  const abs = resolve(dir);
  const link = lstatOrUndefined(abs);
  if (!link) return abs;
  const target = statOrUndefined(abs);
  if (!target)
    throw new UserError(`${dir} is a symbolic link to a missing folder; fix the link or choose another folder`);
  if (!target.isDirectory()) throw new UserError(`${dir} is a file, not a folder; choose another folder`);
  return link.isSymbolicLink() ? realpathSync(abs) : abs;
}

export function inspectFolder(dir: string): FolderContents {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, runFiles: [], foreign: [] };
    throw new UserError(`cannot read ${dir}: ${describeFsError(err)}`, { cause: err });
  }
  const lockOrTemp = (n: string) => TEMP_NAME.test(n) || /^\..+\.lock$/.test(n);
  return {
    exists: true,
    runFiles: Object.values(RUN_FILES).filter((n) => names.includes(n)),
    foreign: names.filter((n) => !RUN_FILE_NAMES.has(n) && !lockOrTemp(n)),
  };
}

/** Refuse a folder that holds a run (unless overwriting) or anything that is not a run's. */
export function assertFolderUsable(dir: string, overwrite: boolean): void {
  const contents = inspectFolder(dir);
  if (contents.runFiles.length > 0 && !overwrite) throw new RunFolderExistsError(dir, contents.runFiles[0]);
  if (contents.foreign.length > 0)
    throw new UserError(
      `${dir} holds files that are not part of a run (${contents.foreign.slice(0, 2).join(', ')}); ` +
        'a run is saved into a new or empty folder (or over an earlier run): choose another folder',
    );
}

/** Remove temp files/folders and locks whose process is gone. Best effort: never throws. */
export async function sweepStale(folder: string): Promise<string[]> {
  const swept: string[] = [];
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return swept;
  }
  for (const name of names) {
    const temp = TEMP_NAME.exec(name);
    let pid: number | undefined;
    if (temp) pid = Number(temp[1]);
    else if (/^\..+\.lock$/.test(name)) pid = readLockOwner(join(folder, name));
    if (pid === undefined || processAlive(pid)) continue;
    await rm(join(folder, name), { recursive: true, force: true }).catch(() => {});
    swept.push(name);
  }
  return swept;
}

export interface RunLock {
  readonly dir: string;
  release(): Promise<void>;
}

// Locks this process holds, removed even when the process exits without releasing them.
const held = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const path of held)
      try {
        unlinkSync(path);
      } catch {}
  });
}

/** The lock file of a run folder: a hidden sibling, so it exists before the folder does. */
export function lockPathFor(dir: string): string {
  const abs = resolve(dir);
  return join(dirname(abs), `.${basename(abs)}.lock`);
}

/**
 * Lock a run folder (its parent must exist). Another live process holding it → one line; a
 * lock whose process died is taken over.
 */
export async function acquireRunLock(dir: string): Promise<RunLock> {
  const path = lockPathFor(dir);
  for (let attempt = 0; attempt < 5; attempt++) {
    let created: boolean;
    try {
      created = await tryCreateLockFile(path);
    } catch (err) {
      throw new UserError(`cannot use ${dir}: ${describeFsError(err)}`, { cause: err });
    }
    if (created) {
      held.add(path);
      installExitHook();
      return {
        dir,
        release: async () => {
          held.delete(path);
          await rm(path, { force: true });
        },
      };
    }
    const pid = readLockOwner(path);
    if (pid !== undefined && processAlive(pid))
      throw new UserError(
        `${dir} is in use by another fmnist-tui (process ${pid}); wait for it to finish, or choose another folder`,
      );
    // The owner died (or the lock vanished meanwhile): take it over.
    await rm(path, { force: true });
  }
  throw new UserError(`cannot lock ${dir}: other processes keep taking it; try again`);
}

/** Run `work` holding the folder's lock (or under `lock` when the caller already holds it). */
export async function withRunLock<T>(dir: string, lock: RunLock | undefined, work: () => Promise<T>): Promise<T> {
  if (lock) return work();
  await makeDirectory(dirname(dir), `the folder for ${dir}`);
  const own = await acquireRunLock(dir);
  try {
    await sweepStale(dirname(dir));
    await sweepStale(dir);
    return await work();
  } finally {
    await own.release();
  }
}

/** A new hidden temp folder beside `dir`, to write a whole run into. */
export async function createStaging(dir: string): Promise<string> {
  const staging = tempPathFor(dir);
  try {
    await mkdir(staging);
  } catch (err) {
    throw new UserError(`cannot write to ${dirname(dir)}: ${describeFsError(err)}`, { cause: err });
  }
  return staging;
}

/**
 * Move a staged run into place in one rename. An existing run is replaced only with
 * `overwrite`, as a whole: the old folder is renamed aside, the new one in, the old one removed
 * (if the second rename fails the old folder is put back).
 */
export async function commitStaging(staging: string, dir: string, overwrite: boolean): Promise<void> {
  try {
    await rename(staging, dir); // succeeds when `dir` is absent or an empty folder
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST')
      throw new UserError(`cannot save to ${dir}: ${describeFsError(err)}`, { cause: err });
  }
  assertFolderUsable(dir, overwrite);
  const old = tempPathFor(dir);
  try {
    await rename(dir, old);
  } catch (err) {
    throw new UserError(`cannot replace ${dir}: ${describeFsError(err)}`, { cause: err });
  }
  try {
    await rename(staging, dir);
  } catch (err) {
    await rename(old, dir).catch(() => {});
    throw new UserError(`cannot replace ${dir}: ${describeFsError(err)}`, { cause: err });
  }
  await rm(old, { recursive: true, force: true });
}

/** Free bytes for an unprivileged writer in the folder holding `path` (undefined if unknown). */
export async function freeBytes(path: string): Promise<number | undefined> {
  try {
    const s = await statfs(path);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}
