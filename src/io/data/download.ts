/**
 * Download the four Fashion-MNIST files into the cache, the careful way:
 * mirrors in order; per mirror a few attempts with exponential backoff; connect and idle-read
 * timeouts; a partial `<file>.gz.part` is resumed with an HTTP Range request (only from the
 * mirror it came from: gzip bytes differ between mirrors); the finished file is decompressed and
 * its SHA-256 checked BEFORE it is renamed into place. Content that fails is deleted.
 * One downloader per cache at a time (cache-lock.ts); each request's faults — resets, endless
 * streams, trickles — are handled in http-fetch.ts.
 */
import { open, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FULL_DIGESTS, IDX_FILES, type DigestTable, type IdxFileName } from '../../core/dataset/files.js';
import { IdxFormatError, parseIdxImages, parseIdxLabels } from '../../core/dataset/idx.js';
import type { DataProgress } from '../../core/dataset/progress.js';
import { UserError } from '../../core/errors.js';
import { describeFsError, makeDirectory } from '../fs-safe.js';
import { withCacheLock } from './cache-lock.js';
import { AttemptError, abortError, sleep, type PartMeta } from './download-attempt.js';
import { fetchToPart, type FetchLimits } from './http-fetch.js';
import { readIdxFile } from './read.js';

export interface DownloadOptions extends FetchLimits {
  /** Where the verified `<name>.gz` files end up (and `.part` files meanwhile). */
  readonly cacheDir: string;
  /** Base URLs, tried in order; each serves `${base}${name}.gz`. */
  readonly mirrors: readonly string[];
  readonly onProgress?: (p: DataProgress) => void;
  /** Abort: the request is cancelled; a `.part` file is kept for a later resume. */
  readonly signal?: AbortSignal;
  /** Attempts per mirror for transient failures (reset, timeout, 5xx). Default 3. */
  readonly attemptsPerMirror?: number;
  /** First retry delay; doubles each retry. Default 500 ms. */
  readonly backoffMs?: number;
  /**
   * Give up on everything as soon as the first file cannot even connect to any mirror
   * (DNS failure, refused, unreachable) — the automatic download in loadDataset uses this
   * so an offline first run falls through to the embedded sample at once.
   */
  readonly failFastOffline?: boolean;
  /** Fetch again even when a verified file is already in the cache. */
  readonly force?: boolean;
  /** Expected content digests. Default FULL_DIGESTS (tests serve the embedded sample with SAMPLE_DIGESTS). */
  readonly digests?: DigestTable;
}

export interface DownloadedFile {
  readonly file: IdxFileName;
  readonly path: string;
  /** undefined when the cached copy was already verified. */
  readonly url?: string;
  readonly sha256: string;
}

/**
 * Download whatever of the four files the cache lacks (or all, with force), verified.
 * Throws UserError naming the file and every mirror's failure when a file cannot be had.
 */
export async function downloadDataset(options: DownloadOptions): Promise<DownloadedFile[]> {
  const report = options.onProgress ?? (() => {});
  if (options.mirrors.length === 0) throw new UserError('no download mirrors configured (FMNIST_MIRRORS is empty)');
  try {
    await makeDirectory(options.cacheDir, `the cache directory ${options.cacheDir}`);
  } catch (err) {
    throw new UserError(`${(err as Error).message} (set FMNIST_CACHE_DIR or XDG_CACHE_HOME to a writable place)`);
  }
  try {
    return await withCacheLock(options.cacheDir, () => downloadMissing(options, report), {
      signal: options.signal,
      onWait: (pid) =>
        report({
          type: 'retry',
          file: 'the cache',
          url: options.cacheDir,
          attempt: 1,
          delayMs: 250,
          reason: `another fmnist-tui (process ${pid}) is downloading into it; waiting for it`,
        }),
    });
  } catch (err) {
    // Leave no empty cache directory behind after a failed first download.
    await rmdir(options.cacheDir).catch(() => {});
    throw err;
  }
}

async function downloadMissing(options: DownloadOptions, report: (p: DataProgress) => void) {
  const done: DownloadedFile[] = [];
  for (const spec of IDX_FILES) {
    const target = join(options.cacheDir, `${spec.name}.gz`);
    if (!options.force) {
      const cached = await verifyFile(target, spec.name, options.digests).catch(() => undefined);
      if (cached?.ok) {
        report({ type: 'verify', file: spec.name, ok: true, sha256: cached.sha256 });
        done.push({ file: spec.name, path: target, sha256: cached.sha256 });
        continue;
      }
      if (cached && !cached.ok) {
        await rm(target, { force: true });
        report({ type: 'removed', path: target, reason: cached.reason });
      }
    }
    done.push(await downloadOne(spec.name, target, options, report, done.length === 0));
  }
  return done;
}

type Verdict = { ok: true; sha256: string } | { ok: false; reason: string };

/** Decompress, parse and hash a downloaded/cached file against the published digest. */
async function verifyFile(path: string, name: IdxFileName, digests: DigestTable = FULL_DIGESTS): Promise<Verdict> {
  await stat(path);
  try {
    const content = await readIdxFile(path, { name, label: path });
    if (name.includes('images')) parseIdxImages(content.bytes, path);
    else parseIdxLabels(content.bytes, path);
    if (content.sha256 !== digests[name].sha256) {
      return {
        ok: false,
        reason: `SHA-256 mismatch (${content.sha256.slice(0, 12)}…, expected ${digests[name].sha256.slice(0, 12)}…)`,
      };
    }
    return { ok: true, sha256: content.sha256 };
  } catch (err) {
    if (err instanceof IdxFormatError) return { ok: false, reason: err.problem };
    throw err;
  }
}

async function downloadOne(
  name: IdxFileName,
  target: string,
  options: DownloadOptions,
  report: (p: DataProgress) => void,
  first: boolean,
): Promise<DownloadedFile> {
  const part = `${target}.part`;
  const metaPath = `${target}.part.json`;
  const attempts = Math.max(1, options.attemptsPerMirror ?? 3);
  const backoff = options.backoffMs ?? 500;
  const failures: string[] = [];
  let allUnreachable = true;
  // gzip never makes a file much larger than its content: more than this is a broken mirror.
  const maxBytes = Math.ceil((options.digests ?? FULL_DIGESTS)[name].bytes * 1.01) + 65_536;
  const { connectTimeoutMs, readTimeoutMs, minBytesPerSecond, speedWindowMs, deadlineMs } = options;
  const limits = { connectTimeoutMs, readTimeoutMs, minBytesPerSecond, speedWindowMs, deadlineMs };

  for (const mirror of options.mirrors) {
    const url = new URL(`${name}.gz`, mirror).href;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (options.signal?.aborted) throw abortError(options.signal);
      // Resume only a part that came from this very URL.
      let resumeFrom = 0;
      let meta: PartMeta | undefined;
      try {
        meta = JSON.parse(await readFile(metaPath, 'utf8')) as PartMeta;
        if (meta.url === url) resumeFrom = (await stat(part)).size;
        else meta = undefined;
      } catch {
        meta = undefined;
      }
      if (resumeFrom === 0) await rm(part, { force: true });

      report({ type: 'download-start', file: name, url, attempt, resumeFrom });
      try {
        const bytes = await fetchToPart({
          ...limits,
          url,
          origin: url,
          part,
          metaPath,
          resumeFrom,
          meta,
          file: name,
          maxBytes,
          signal: options.signal,
          report,
        });
        report({ type: 'downloaded', file: name, url, bytes });
      } catch (err) {
        if (options.signal?.aborted) throw abortError(options.signal);
        await dropEmptyPart(part, metaPath);
        const e = err instanceof AttemptError ? err : new AttemptError(describeFsError(err), 'transient');
        if (e.kind !== 'unreachable') allUnreachable = false;
        // Offline fast path (automatic download): a connect timeout on the first file ends it all.
        if (options.failFastOffline && first && e.kind === 'unreachable' && /could not connect/.test(e.message)) {
          throw new UserError(
            `${name}.gz: ${new URL(url).host}: ${e.message} — offline? (run 'fmnist-tui data download' to try every mirror)`,
          );
        }
        const retry = e.kind === 'transient' && attempt < attempts;
        if (retry) {
          const delayMs = backoff * 2 ** (attempt - 1);
          report({ type: 'retry', file: name, url, attempt, delayMs, reason: e.message });
          await sleep(delayMs, options.signal).catch(() => {
            throw abortError(options.signal!);
          });
          continue;
        }
        failures.push(`${new URL(url).host}: ${e.message}`);
        report({ type: 'mirror-failed', file: name, url, reason: e.message });
        break;
      }

      // Complete: verify the content before it may be used.
      report({ type: 'verifying', file: name, kind: 'download' });
      const verdict = await verifyFile(part, name, options.digests).catch(
        (err): Verdict => ({ ok: false, reason: describeFsError(err) }),
      );
      if (!verdict.ok) {
        allUnreachable = false;
        await rm(part, { force: true });
        await rm(metaPath, { force: true });
        report({ type: 'verify', file: name, ok: false, reason: verdict.reason });
        report({ type: 'removed', path: part, reason: 'failed verification' });
        failures.push(`${new URL(url).host}: ${verdict.reason}`);
        report({ type: 'mirror-failed', file: name, url, reason: verdict.reason });
        break;
      }
      // Durable before visible: flush the verified bytes, then rename into place (atomic).
      const fh = await open(part, 'r+');
      await fh.sync().finally(() => fh.close());
      await rename(part, target);
      await rm(metaPath, { force: true });
      report({ type: 'verify', file: name, ok: true, sha256: verdict.sha256 });
      return { file: name, path: target, url, sha256: verdict.sha256 };
    }
  }
  if (allUnreachable) {
    throw new UserError(`${name}.gz: no mirror could be reached — offline? (${failures.join('; ')})`);
  }
  throw new UserError(
    `${name}.gz: every mirror failed (${failures.join('; ')}); try again later, or put the files in a directory and use --data-dir`,
  );
}

/** A part with nothing in it is no use for a resume: it and its metadata go. */
async function dropEmptyPart(part: string, metaPath: string): Promise<void> {
  const size = await stat(part).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0) {
    await rm(part, { force: true });
    await rm(metaPath, { force: true });
  }
}
