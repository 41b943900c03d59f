/**
 * readDataDir: read and verify the four Fashion-MNIST files of one directory (one source of
 * loadDataset in load.ts), plus the result types and the errors it throws.
 */
import { createHash } from 'node:crypto';
import { IDX_FILES, FULL_DIGESTS, SAMPLE_DIGESTS, matchDigests, type IdxFileName } from '../../core/dataset/files.js';
import { IdxFormatError, parseIdxImages, parseIdxLabels } from '../../core/dataset/idx.js';
import type { DataProgress } from '../../core/dataset/progress.js';
import type { DataSource, DataSourceKind, Dataset, Split } from '../../core/dataset/types.js';
import { UserError } from '../../core/errors.js';
import { describeFsError } from '../atomic.js';
import { locateAll, readIdxFile } from './read.js';

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

export interface ReadDirOptions {
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
