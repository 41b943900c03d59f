/**
 * One downloader per cache: two `data download` (or a download and a session) into one cache
 * would write the same `.part` files. The second waits for the first (whose verified files it
 * then finds in the cache); a lock left by a process that died is taken over.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../core/errors.js';
import { describeFsError, processAlive, readLockOwner, tryCreateLockFile } from '../fs-safe.js';
import { abortError, sleep } from './download-attempt.js';

export const CACHE_LOCK_NAME = '.download.lock';

export interface CacheLockOptions {
  readonly signal?: AbortSignal;
  /** Called once when another process holds the cache and this one starts waiting. */
  readonly onWait?: (pid: number) => void;
  /** Give up waiting after this long (default 30 min: a slow full download). */
  readonly maxWaitMs?: number;
  /** How often to look again (default 250 ms). */
  readonly pollMs?: number;
}

/** Run `work` while holding the cache's download lock. */
export async function withCacheLock<T>(cacheDir: string, work: () => Promise<T>, options: CacheLockOptions = {}) {
  const path = join(cacheDir, CACHE_LOCK_NAME);
  const started = Date.now();
  let announced = false;
  for (;;) {
    if (options.signal?.aborted) throw abortError(options.signal);
    try {
      if (await tryCreateLockFile(path)) break;
    } catch (err) {
      throw new UserError(`cannot lock the cache ${cacheDir}: ${describeFsError(err)}`, { cause: err });
    }
    const owner = readLockOwner(path);
    if (owner === undefined) continue; // released meanwhile
    if (!processAlive(owner)) {
      await rm(path, { force: true });
      continue;
    }
    if (!announced) {
      announced = true;
      options.onWait?.(owner);
    }
    if (Date.now() - started > (options.maxWaitMs ?? 30 * 60_000))
      throw new UserError(
        `another fmnist-tui (process ${owner}) has been downloading into ${cacheDir} for too long; ` +
          'wait for it, or stop it and try again',
      );
    await sleep(options.pollMs ?? 250, options.signal).catch(() => {
      throw abortError(options.signal as AbortSignal);
    });
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
