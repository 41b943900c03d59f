/**
 * loadDataset: find Fashion-MNIST, verify it, and hold it in memory.
 *
 * Sources, tried in this order and always reported through onProgress:
 *   a. options.dataDir (--data-dir) or FMNIST_DATA_DIR — explicit, so any problem is an error;
 *   b. the user cache (cacheDataDir) — a file that fails verification is deleted, then fall through;
 *   c. the system copy (/usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist);
 *   d. download from the public mirrors into the cache (unless download: false / FMNIST_OFFLINE=1);
 *   e. the embedded class-balanced sample (6,000 / 1,000) in assets/.
 */
import { rm, stat } from 'node:fs/promises';
import { IDX_FILES } from '../../core/dataset/files.js';
import type { DataProgress } from '../../core/dataset/progress.js';
import type { DataSourceKind } from '../../core/dataset/types.js';
import { UserError } from '../../core/errors.js';
import { downloadDataset, type DownloadOptions } from './download.js';
import { cacheDataDir, embeddedDataDir, explicitDataDir, mirrorList, offline, systemDataDir } from './paths.js';
import {
  BadFilesError,
  type LoadedDataset,
  MissingFilesError,
  type ReadDirOptions,
  type SourceAttempt,
  readDataDir,
} from './read-dir.js';

// The per-directory reader and its types moved to read-dir.ts; re-exported for existing importers.
export {
  BadFilesError,
  type FileReport,
  fingerprintOf,
  type LoadedDataset,
  MissingFilesError,
  readDataDir,
  type SourceAttempt,
} from './read-dir.js';

export interface LoadOptions {
  /** Read from this directory only (--data-dir); overrides FMNIST_DATA_DIR. Any problem there is an error. */
  readonly dataDir?: string;
  /** Environment for FMNIST_* variables, XDG_CACHE_HOME and HOME. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Allow source (d), downloading into the cache. Default: true unless FMNIST_OFFLINE is set. */
  readonly download?: boolean;
  /** Progress records: sources tried/chosen, download bytes, verification verdicts. */
  readonly onProgress?: (p: DataProgress) => void;
  /** Cancels reading and downloading; the promise rejects with an AbortError. */
  readonly signal?: AbortSignal;
  /**
   * Accept files in an explicit data dir whose content does not match the published digests
   * (a custom IDX set); the result has verified: false. Default false. Other sources always verify.
   */
  readonly allowUnverified?: boolean;
  /** Downloader tuning (timeouts, retries); mirrors default to FMNIST_MIRRORS or the public ones. */
  readonly downloadOptions?: Partial<Omit<DownloadOptions, 'cacheDir' | 'onProgress' | 'signal'>>;
}

/**
 * Find, verify and load Fashion-MNIST (see the module comment for the source order).
 * Throws UserError only for an explicit data dir that is unusable or a damaged installation;
 * otherwise it always ends at the embedded sample.
 */
export async function loadDataset(options: LoadOptions = {}): Promise<LoadedDataset> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const report = options.onProgress ?? (() => {});
  const tried: SourceAttempt[] = [];
  const skip = (kind: DataSourceKind, reason: string, dir?: string) => {
    tried.push({ kind, dir, used: false, reason });
    report({ type: 'skip', kind, reason, ...(dir ? { dir } : {}) });
  };
  const finish = (data: Omit<LoadedDataset, 'tried' | 'milliseconds'>, kind: DataSourceKind): LoadedDataset => {
    tried.push({ kind, dir: data.source.dir, used: true });
    const milliseconds = Math.round(performance.now() - started);
    report({
      type: 'ready',
      source: data.source,
      verified: data.verified,
      train: data.train.count,
      test: data.test.count,
      milliseconds,
    });
    return { ...data, tried, milliseconds };
  };
  const readOpts = { onProgress: report, signal: options.signal };

  // a. explicit directory: the user asked for it, so problems are errors, not fall-through.
  const explicit = explicitDataDir(options.dataDir, env);
  if (explicit !== undefined) {
    const st = await stat(explicit).catch(() => undefined);
    if (!st)
      throw new UserError(
        `${explicit}: no such directory ` +
          `(given by ${options.dataDir !== undefined ? '--data-dir' : 'FMNIST_DATA_DIR'}); ` +
          'point it at the folder holding the four Fashion-MNIST files',
      );
    if (!st.isDirectory())
      throw new UserError(
        `${explicit}: not a directory; --data-dir/FMNIST_DATA_DIR must name the folder holding the four Fashion-MNIST files`,
      );
    const data = await readDataDir(explicit, 'data-dir', { ...readOpts, allowUnverified: options.allowUnverified });
    return finish(data, 'data-dir');
  }
  skip('data-dir', 'not set (--data-dir or FMNIST_DATA_DIR)');

  // b. user cache: damaged files are deleted so they are never used again.
  const cache = cacheDataDir(env);
  const fromCache = await tryDir(cache, 'cache', readOpts, skip, true);
  if (fromCache) return finish(fromCache, 'cache');

  // c. system copy.
  const system = systemDataDir(env);
  const fromSystem = await tryDir(
    system,
    'system',
    readOpts,
    skip,
    false,
    'not installed (apt install dataset-fashion-mnist)',
  );
  if (fromSystem) return finish(fromSystem, 'system');

  // d. download into the cache.
  const allowDownload = options.download ?? !offline(env);
  if (!allowDownload) {
    skip('download', options.download === false ? 'disabled' : 'disabled (FMNIST_OFFLINE is set)');
  } else {
    try {
      await downloadDataset({
        mirrors: mirrorList(env),
        connectTimeoutMs: 5000,
        ...options.downloadOptions,
        cacheDir: cache,
        onProgress: report,
        signal: options.signal,
        // Automatic download: give up at once when the network is plainly unreachable.
        failFastOffline: true,
      });
      const fromDownload = await tryDir(cache, 'download', readOpts, skip, true);
      if (fromDownload) return finish(fromDownload, 'download');
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      skip('download', (err as Error).message, cache);
    }
  }

  // e. the embedded sample: always there unless the installation is damaged.
  const data = await readDataDir(embeddedDataDir(), 'embedded', readOpts);
  return finish(data, 'embedded');
}

/** Try a fall-through source: undefined (and a skip record) when absent or bad. */
async function tryDir(
  dir: string,
  kind: DataSourceKind,
  readOpts: ReadDirOptions,
  skip: (kind: DataSourceKind, reason: string, dir?: string) => void,
  removeBad: boolean,
  absentReason?: string,
): Promise<Omit<LoadedDataset, 'tried' | 'milliseconds'> | undefined> {
  try {
    return await readDataDir(dir, kind, readOpts);
  } catch (err) {
    if (err instanceof MissingFilesError) {
      skip(
        kind,
        err.missing.length === IDX_FILES.length ? (absentReason ?? `no files in ${dir}`) : `incomplete: ${err.message}`,
        dir,
      );
      return undefined;
    }
    if (err instanceof BadFilesError) {
      if (removeBad) {
        for (const path of err.badPaths) {
          await rm(path, { force: true }).catch(() => {});
          readOpts.onProgress({ type: 'removed', path, reason: 'failed verification' });
        }
      }
      skip(kind, err.message, dir);
      return undefined;
    }
    throw err;
  }
}
