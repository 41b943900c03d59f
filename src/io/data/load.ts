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
import { createHash } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { IDX_FILES, FULL_DIGESTS, SAMPLE_DIGESTS, matchDigests, type IdxFileName } from '../../core/dataset/files.js';
import { IdxFormatError, parseIdxImages, parseIdxLabels } from '../../core/dataset/idx.js';
import type { DataProgress } from '../../core/dataset/progress.js';
import type { DataSource, DataSourceKind, Dataset, Split } from '../../core/dataset/types.js';
import { UserError } from '../../core/errors.js';
import { describeFsError } from '../atomic.js';
import { downloadDataset, type DownloadOptions } from './download.js';
import { cacheDataDir, embeddedDataDir, explicitDataDir, mirrorList, offline, systemDataDir } from './paths.js';
import { locateAll, readIdxFile } from './read.js';

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

/** What was found about one file. */
export interface FileReport {
  readonly file: IdxFileName;
  readonly path: string;
  readonly compressed: boolean;
  /** Decompressed size. */
  readonly bytes: number;
  readonly sha256: string;
  /** Content matched the published (or embedded-sample) digest. */
  readonly verified: boolean;
}

/** One source in the order it was tried. */
export interface SourceAttempt {
  readonly kind: DataSourceKind;
  readonly dir?: string;
  readonly used: boolean;
  /** Why it was not used. */
  readonly reason?: string;
}

/** The Dataset plus how it was found (for `fmnist-tui data` and logs). */
export interface LoadedDataset extends Dataset {
  readonly files: readonly FileReport[];
  readonly tried: readonly SourceAttempt[];
  readonly milliseconds: number;
}

/** A directory that does not hold all four files. */
export class MissingFilesError extends UserError {
  constructor(
    readonly dir: string,
    readonly missing: readonly IdxFileName[],
  ) {
    super(
      `${dir}: missing ${missing.map((m) => `${m}.gz`).join(', ')} (expected the four Fashion-MNIST files, gzipped or not)`,
    );
    this.name = 'MissingFilesError';
  }
}

/** Files that exist but are damaged or not the expected content. */
export class BadFilesError extends UserError {
  constructor(
    message: string,
    readonly badPaths: readonly string[],
  ) {
    super(message);
    this.name = 'BadFilesError';
  }
}

const DESCRIPTIONS: Record<DataSourceKind, (dir: string) => string> = {
  'data-dir': (dir) => `data dir (${dir})`,
  cache: (dir) => `user cache (${dir})`,
  system: (dir) => `system copy (${dir})`,
  download: (dir) => `download, now cached (${dir})`,
  embedded: () => 'embedded sample (6,000 train / 1,000 test: a class-balanced subset, not the full set)',
};

/** What to do about a bad file, by where it came from. */
const ADVICE: Record<DataSourceKind, string> = {
  'data-dir': "replace it with an intact copy, or drop --data-dir/FMNIST_DATA_DIR and run 'fmnist-tui data download'",
  cache: "it was removed from the cache; run 'fmnist-tui data download' to fetch it again",
  system: 'reinstall the dataset-fashion-mnist package',
  download: "run 'fmnist-tui data download' again",
  embedded: 'the embedded sample in this installation is damaged; reinstall fmnist-tui',
};

export function fingerprintOf(digests: Readonly<Record<IdxFileName, string>>): string {
  return createHash('sha256')
    .update(IDX_FILES.map((f) => `${digests[f.name]}  ${f.name}`).join('\n'))
    .digest('hex');
}

interface ReadDirOptions {
  readonly onProgress: (p: DataProgress) => void;
  readonly signal?: AbortSignal;
  readonly allowUnverified?: boolean;
}

/**
 * Read and verify the four files of `dir` as source `kind`. Throws MissingFilesError or
 * BadFilesError (one line naming the first bad file, the problem and what to do).
 */
export async function readDataDir(
  dir: string,
  kind: DataSourceKind,
  options: ReadDirOptions,
): Promise<Omit<LoadedDataset, 'tried' | 'milliseconds'>> {
  const { found, missing } = await locateAll(dir, IDX_FILES);
  if (missing.length > 0) throw new MissingFilesError(dir, missing);
  const source: DataSource = { kind, dir, subset: false, description: DESCRIPTIONS[kind](dir) };
  options.onProgress({ type: 'source', kind, dir, subset: kind === 'embedded', description: source.description });

  const results = await Promise.allSettled(
    IDX_FILES.map(async (spec) => {
      const path = found.get(spec.name)!;
      options.onProgress({ type: 'verifying', file: spec.name, kind });
      try {
        const content = await readIdxFile(path, { name: spec.name, signal: options.signal });
        const parsed =
          spec.kind === 'images' ? parseIdxImages(content.bytes, path) : parseIdxLabels(content.bytes, path);
        const verified =
          content.sha256 === FULL_DIGESTS[spec.name].sha256 || content.sha256 === SAMPLE_DIGESTS[spec.name].sha256;
        if (!verified && !options.allowUnverified) {
          throw new IdxFormatError(
            path,
            `SHA-256 mismatch: the decompressed content (${content.sha256.slice(0, 12)}…) ` +
              `is not the published Fashion-MNIST ${spec.name} (${FULL_DIGESTS[spec.name].sha256.slice(0, 12)}…)`,
          );
        }
        options.onProgress({
          type: 'verify',
          file: spec.name,
          ok: verified,
          sha256: content.sha256,
          ...(verified ? {} : { reason: 'unknown content (allowed)' }),
        });
        const report: FileReport = {
          file: spec.name,
          path,
          compressed: content.compressed,
          bytes: content.bytes.length,
          sha256: content.sha256,
          verified,
        };
        return { spec, parsed, report };
      } catch (err) {
        if (err instanceof IdxFormatError)
          options.onProgress({ type: 'verify', file: spec.name, ok: false, reason: err.problem });
        throw err;
      }
    }),
  );

  const failures = results.flatMap((r, i) =>
    r.status === 'rejected' ? [{ path: found.get(IDX_FILES[i].name)!, error: r.reason as unknown }] : [],
  );
  if (failures.length > 0) {
    const aborted = failures.find((f) => (f.error as Error)?.name === 'AbortError');
    if (aborted) throw aborted.error;
    const first = failures[0];
    const err = first.error;
    const what = err instanceof IdxFormatError ? err.message : `${first.path}: cannot read (${describeFsError(err)})`;
    throw new BadFilesError(
      `${what} — ${ADVICE[kind]}`,
      failures.filter((f) => f.error instanceof IdxFormatError).map((f) => f.path),
    );
  }

  const ok = results.map(
    (r) =>
      (
        r as PromiseFulfilledResult<{
          spec: (typeof IDX_FILES)[number];
          parsed: { count: number; pixels?: Uint8Array; labels?: Uint8Array };
          report: FileReport;
        }>
      ).value,
  );
  const byName = new Map(ok.map((o) => [o.spec.name, o]));
  const split = (images: IdxFileName, labels: IdxFileName): Split => {
    const im = byName.get(images)!;
    const lb = byName.get(labels)!;
    if (im.parsed.count !== lb.parsed.count) {
      throw new BadFilesError(
        `${im.report.path}: has ${im.parsed.count.toLocaleString('en-US')} images ` +
          `but ${lb.report.path} has ${lb.parsed.count.toLocaleString('en-US')} labels; ` +
          `the two files must come from the same set — ${ADVICE[kind]}`,
        [],
      );
    }
    return { images: im.parsed.pixels!, labels: lb.parsed.labels!, count: im.parsed.count };
  };
  const train = split('train-images-idx3-ubyte', 'train-labels-idx1-ubyte');
  const test = split('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte');

  const digests = Object.fromEntries(ok.map((o) => [o.spec.name, o.report.sha256])) as Record<IdxFileName, string>;
  const set = matchDigests(digests);
  const allVerified = ok.every((o) => o.report.verified);
  if (allVerified && set === undefined) {
    throw new BadFilesError(`${dir}: the four files mix the full set and the embedded sample — ${ADVICE[kind]}`, []);
  }
  const subset = set === 'sample';
  return {
    train,
    test,
    source: {
      ...source,
      subset,
      description: subset && kind !== 'embedded' ? `${source.description}, the 6,000/1,000 sample` : source.description,
    },
    verified: allVerified,
    fingerprint: fingerprintOf(digests),
    files: ok.map((o) => o.report),
  };
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
