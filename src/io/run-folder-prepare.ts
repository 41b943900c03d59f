/**
 * Before a long training run: make sure its run folder can be written (so a read-only folder, a
 * dangling symlink or a full disk is found before the work, not after), and hold the folder's
 * lock until the run is saved. After a failed save: keep the checkpoint somewhere safe.
 */
import { rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { writeFileAtomic } from './atomic.js';
import { describeFsError, makeDirectory } from './fs-safe.js';
import { encodeRunCheckpoint, type RunState } from './run-state.js';
import {
  acquireRunLock,
  assertFolderUsable,
  createStaging,
  freeBytes,
  resolveRunDir,
  sweepStale,
  type RunLock,
} from './run-folder-store.js';

const MB = 1e6;

export interface PrepareOptions {
  readonly overwrite?: boolean;
  /** About how many bytes the saved run will take (refused up front when the disk has less). */
  readonly estimatedBytes?: number;
}

/** Check the folder, lock it, write a probe beside it, check free space. The caller releases the lock. */
export async function prepareRunFolder(dir: string, options: PrepareOptions = {}): Promise<RunLock> {
  const target = resolveRunDir(dir);
  const parent = dirname(target);
  await makeDirectory(parent, `the folder for ${dir}`);
  let lock: RunLock;
  try {
    lock = await acquireRunLock(target);
  } catch (err) {
    if (err instanceof UserError && /in use/.test(err.message)) throw err;
    throw new UserError(`cannot save to ${dir}: ${describeFsError((err as Error).cause ?? err)}`, { cause: err });
  }
  try {
    await sweepStale(parent);
    await sweepStale(target);
    assertFolderUsable(target, options.overwrite ?? false);
    const probe = await createStaging(target);
    try {
      await writeFile(join(probe, 'probe'), 'fmnist-tui\n');
    } catch (err) {
      throw new UserError(`cannot save to ${dir}: ${describeFsError(err)}`, { cause: err });
    } finally {
      await rm(probe, { recursive: true, force: true });
    }
    const free = await freeBytes(parent);
    const need = options.estimatedBytes;
    if (free !== undefined && need !== undefined && free < need)
      throw new UserError(
        `cannot save to ${dir}: the run needs about ${(need / MB).toFixed(1)} MB and only ` +
          `${(free / MB).toFixed(1)} MB are free there; free some space or choose another folder`,
      );
    return { ...lock, dir: target };
  } catch (err) {
    await lock.release();
    throw err;
  }
}

/** About how many bytes a run folder takes: weights, checkpoint (with up to 3 optimizer buffers), ONNX. */
export function estimateRunBytes(parameterCount: number): number {
  return parameterCount * 4 * 6 + MB;
}

/**
 * After a failed save: write the checkpoint where it can be found (the system temp folder, else
 * the home folder). Returns its path, or undefined when nothing could be written.
 */
export async function rescueCheckpoint(dir: string, run: RunState): Promise<string | undefined> {
  const name = `fmnist-tui-unsaved-${basename(dir) || 'run'}-${process.pid}.ckpt`;
  let bytes: Uint8Array;
  try {
    bytes = encodeRunCheckpoint(run);
  } catch {
    return undefined;
  }
  for (const folder of [tmpdir(), homedir()]) {
    const path = join(folder, name);
    try {
      await writeFileAtomic(path, bytes, { force: true });
      return path;
    } catch {
      // try the next place
    }
  }
  return undefined;
}
