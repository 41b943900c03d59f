/**
 * Download the four Fashion-MNIST files into the cache, the careful way:
 * mirrors in order; per mirror a few attempts with exponential backoff; connect and idle-read
 * timeouts; a partial `<file>.gz.part` is resumed with an HTTP Range request (only from the
 * mirror it came from: gzip bytes differ between mirrors); the finished file is decompressed and
 * its SHA-256 checked BEFORE it is renamed into place. Content that fails is deleted.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { FULL_DIGESTS, IDX_FILES, type DigestTable, type IdxFileName } from '../../core/dataset/files.js';
import { IdxFormatError, parseIdxImages, parseIdxLabels } from '../../core/dataset/idx.js';
import type { DataProgress } from '../../core/dataset/progress.js';
import { UserError } from '../../core/errors.js';
import { describeFsError } from '../atomic.js';
import { readIdxFile } from './read.js';

export interface DownloadOptions {
  /** Where the verified `<name>.gz` files end up (and `.part` files meanwhile). */
  readonly cacheDir: string;
  /** Base URLs, tried in order; each serves `${base}${name}.gz`. */
  readonly mirrors: readonly string[];
  readonly onProgress?: (p: DataProgress) => void;
  /** Abort: the request is cancelled; a `.part` file is kept for a later resume. */
  readonly signal?: AbortSignal;
  /** Time allowed to open the connection (DNS + TCP + TLS). Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Longest silence while waiting for headers or body bytes. Default 30 s. */
  readonly readTimeoutMs?: number;
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

/** Why one request failed, and what that means for retrying. */
class AttemptError extends Error {
  constructor(
    message: string,
    /** unreachable: could not connect (no retry on this mirror); transient: retry; permanent: next mirror. */
    readonly kind: 'unreachable' | 'transient' | 'permanent',
  ) {
    super(message);
  }
}

/** Could not connect at all: not retried on the same mirror. */
const UNREACHABLE: Record<string, string> = {
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  EAI_FAIL: 'DNS lookup failed',
  EAI_NONAME: 'host not found (DNS)',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ECONNREFUSED: 'connection refused',
  ENETDOWN: 'network is down',
  EHOSTDOWN: 'host is down',
};

interface PartMeta {
  url: string;
  etag?: string;
  lastModified?: string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return Object.assign(new Error('the download was cancelled'), { name: 'AbortError' });
}

/**
 * Download whatever of the four files the cache lacks (or all, with force), verified.
 * Throws UserError naming the file and every mirror's failure when a file cannot be had.
 */
export async function downloadDataset(options: DownloadOptions): Promise<DownloadedFile[]> {
  const report = options.onProgress ?? (() => {});
  if (options.mirrors.length === 0) throw new UserError('no download mirrors configured (FMNIST_MIRRORS is empty)');
  try {
    await mkdir(options.cacheDir, { recursive: true });
  } catch (err) {
    throw new UserError(
      `cannot create the cache directory ${options.cacheDir}: ${describeFsError(err)} (set FMNIST_CACHE_DIR or XDG_CACHE_HOME to a writable place)`,
    );
  }
  const done: DownloadedFile[] = [];
  try {
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
  } catch (err) {
    // Leave no empty cache directory behind after a failed first download.
    await rmdir(options.cacheDir).catch(() => {});
    throw err;
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
        const bytes = await fetchToPart(url, url, part, metaPath, resumeFrom, meta, name, options, report);
        report({ type: 'downloaded', file: name, url, bytes });
      } catch (err) {
        if (options.signal?.aborted) throw abortError(options.signal);
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

/** One HTTP(S) GET into `part` (appending from `resumeFrom`), following redirects. Resolves with the final size. */
function fetchToPart(
  url: string,
  origin: string,
  part: string,
  metaPath: string,
  resumeFrom: number,
  meta: PartMeta | undefined,
  name: IdxFileName,
  options: DownloadOptions,
  report: (p: DataProgress) => void,
  redirects = 0,
): Promise<number> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const readTimeoutMs = options.readTimeoutMs ?? 30_000;
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    let out: WriteStream | undefined;
    let connectTimer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      clearTimeout(connectTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    // Flush what was received to the part (for a Range resume) before reporting the failure.
    const fail = (err: AttemptError) => {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      if (!out || out.destroyed) return reject(err);
      out.once('error', () => reject(err));
      out.end(() => reject(err));
    };
    const onAbort = () => fail(new AttemptError('cancelled', 'permanent'));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
    if (!client) {
      cleanup();
      return reject(new AttemptError(`unsupported URL scheme ${target.protocol}`, 'permanent'));
    }
    const headers: Record<string, string> = {
      'user-agent': 'fmnist-tui',
      accept: '*/*',
      'accept-encoding': 'identity',
    };
    if (resumeFrom > 0) {
      headers.range = `bytes=${resumeFrom}-`;
      const validator = meta?.etag ?? meta?.lastModified;
      if (validator) headers['if-range'] = validator;
    }

    const req = client.get(target, { headers, agent: false });
    req.on('socket', (socket) => {
      if ((socket as { connecting?: boolean }).connecting) {
        connectTimer = setTimeout(
          () => fail(new AttemptError(`could not connect within ${connectTimeoutMs / 1000} s`, 'unreachable')),
          connectTimeoutMs,
        );
        socket.once('connect', () => clearTimeout(connectTimer));
      }
    });
    req.setTimeout(readTimeoutMs, () =>
      fail(new AttemptError(`no data for ${readTimeoutMs / 1000} s (stalled)`, 'transient')),
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      const unreachable = UNREACHABLE[code];
      if (unreachable) return fail(new AttemptError(`${unreachable} (${code})`, 'unreachable'));
      fail(
        new AttemptError(
          code === 'ECONNRESET' ? 'connection reset (ECONNRESET)' : `${err.message}${code ? ` (${code})` : ''}`,
          'transient',
        ),
      );
    });

    req.on('response', (res) => {
      clearTimeout(connectTimer);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= 5) return fail(new AttemptError('too many redirects', 'permanent'));
        settled = true;
        cleanup();
        req.destroy();
        const next = new URL(res.headers.location, url).href;
        fetchToPart(next, origin, part, metaPath, resumeFrom, meta, name, options, report, redirects + 1).then(
          resolve,
          reject,
        );
        return;
      }
      if (status === 416) {
        // Our part is not a prefix the server recognises: start over on the next attempt.
        res.resume();
        rm(part, { force: true }).then(() =>
          fail(new AttemptError('HTTP 416 (range not satisfiable); restarting the file', 'transient')),
        );
        return;
      }
      if (status !== 200 && status !== 206) {
        res.resume();
        const kind = status === 408 || status === 429 || status >= 500 ? 'transient' : 'permanent';
        return fail(new AttemptError(`HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`, kind));
      }

      // A 206 must continue exactly where our part ends; a 200 restarts from zero.
      let offset = 0;
      let total = 0;
      if (status === 206) {
        const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers['content-range'] ?? '');
        if (!m || Number(m[1]) !== resumeFrom) {
          res.resume();
          rm(part, { force: true }).then(() =>
            fail(new AttemptError('the server resumed at the wrong offset; restarting the file', 'transient')),
          );
          return;
        }
        offset = resumeFrom;
        total = m[3] === '*' ? 0 : Number(m[3]);
      } else {
        const length = Number(res.headers['content-length'] ?? 0);
        total = Number.isFinite(length) ? length : 0;
      }
      // Remember where the part came from: the mirror's URL (redirect targets may be temporary).
      const newMeta: PartMeta = { url: origin, etag: res.headers.etag, lastModified: res.headers['last-modified'] };

      const started = performance.now();
      let received = 0;
      let lastReport = 0;
      const emit = (force: boolean) => {
        const now = performance.now();
        if (!force && now - lastReport < 100) return;
        lastReport = now;
        const seconds = (now - started) / 1000;
        const bytesPerSecond = seconds > 0 ? received / seconds : 0;
        const bytes = offset + received;
        const etaSeconds = total > 0 && bytesPerSecond > 0 ? Math.max(0, (total - bytes) / bytesPerSecond) : undefined;
        report({
          type: 'download',
          file: name,
          url: origin,
          bytes,
          total,
          bytesPerSecond: Math.round(bytesPerSecond),
          ...(etaSeconds !== undefined ? { etaSeconds } : {}),
        });
      };

      res.pause();
      writeFile(metaPath, JSON.stringify(newMeta))
        .then(() => {
          if (settled) return;
          out = createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' });
          out.on('error', (err) =>
            fail(new AttemptError(`cannot write ${part}: ${describeFsError(err)}`, 'permanent')),
          );
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            emit(false);
          });
          res.on('error', (err: NodeJS.ErrnoException) =>
            fail(new AttemptError(`${err.code ?? err.message} (the connection broke mid-file)`, 'transient')),
          );
          res.on('close', () => {
            if (!res.complete)
              fail(
                new AttemptError(
                  `the connection closed after ${offset + received} of ${total || '?'} bytes`,
                  'transient',
                ),
              );
          });
          out.on('finish', () => {
            if (settled) return;
            emit(true);
            const size = offset + received;
            if (!res.complete || (total > 0 && size !== total))
              return fail(
                new AttemptError(`the connection closed after ${size} of ${total || '?'} bytes`, 'transient'),
              );
            settled = true;
            cleanup();
            resolve(size);
          });
          res.pipe(out);
        })
        .catch((err) => fail(new AttemptError(`cannot write ${metaPath}: ${describeFsError(err)}`, 'permanent')));
    });
  });
}
