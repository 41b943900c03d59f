/**
 * One HTTP(S) GET of a data file into its `.part` (appending when resuming with Range), with
 * every way a mirror can misbehave turned into an AttemptError: no connection, silence, a reset
 * before or during the body, more bytes than the file can have (a stream that never ends), and a
 * trickle too slow to ever finish. Listeners are attached before anything is awaited, so a
 * response that closes early always settles the promise.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { DataProgress } from '../../core/dataset/progress.js';
import { describeFsError } from '../fs-safe.js';
import { AttemptError, UNREACHABLE, type PartMeta } from './download-attempt.js';

export interface FetchLimits {
  /** Time allowed to open the connection (DNS + TCP + TLS). Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Longest silence while waiting for headers or body bytes. Default 30 s. */
  readonly readTimeoutMs?: number;
  /** Slower than this, averaged over `speedWindowMs`, is a failed attempt. Default 2 kB/s. */
  readonly minBytesPerSecond?: number;
  /** The window the minimum speed is measured over. Default 30 s. */
  readonly speedWindowMs?: number;
  /** The whole file must arrive within this. Default 20 min. */
  readonly deadlineMs?: number;
}

export interface FetchRequest extends FetchLimits {
  /** The URL to get now (a redirect target, or the mirror's). */
  readonly url: string;
  /** The mirror's URL, recorded in the part's metadata (redirect targets may be temporary). */
  readonly origin: string;
  readonly part: string;
  readonly metaPath: string;
  /** Bytes already in `part` (0: start over). */
  readonly resumeFrom: number;
  readonly meta?: PartMeta;
  /** The file's name, for progress records. */
  readonly file: string;
  /** The most bytes the file can have: more is a broken mirror (stopped, the part deleted). */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  readonly report: (p: DataProgress) => void;
}

const MB = 1e6;

/** GET `request.url` into the part file, following up to 5 redirects. Resolves with the part's final size. */
export function fetchToPart(request: FetchRequest, redirects = 0): Promise<number> {
  const { url, origin, part, metaPath, resumeFrom, meta, signal, report, maxBytes } = request;
  const connectTimeoutMs = request.connectTimeoutMs ?? 10_000;
  const readTimeoutMs = request.readTimeoutMs ?? 30_000;
  const minSpeed = request.minBytesPerSecond ?? 2_000;
  const windowMs = request.speedWindowMs ?? 30_000;
  const deadlineMs = request.deadlineMs ?? 20 * 60_000;
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    let out: WriteStream | undefined;
    const timers: NodeJS.Timeout[] = [];
    const cleanup = () => {
      for (const t of timers) clearInterval(t); // clears timeouts too
      signal?.removeEventListener('abort', onAbort);
    };
    // Flush what was received to the part (for a Range resume) before reporting the failure;
    // `discard` deletes it instead (content that can never be right).
    const fail = (err: AttemptError, discard = false) => {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      const finish = () => (discard ? rm(part, { force: true }).then(() => reject(err), reject) : reject(err));
      if (!out || out.destroyed) return void finish();
      out.once('error', () => void finish());
      out.end(() => void finish());
    };
    const onAbort = () => fail(new AttemptError('cancelled', 'permanent'));
    signal?.addEventListener('abort', onAbort, { once: true });

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
    timers.push(
      setTimeout(
        () => fail(new AttemptError(`not finished within ${deadlineMs / 60_000} min (too slow)`, 'transient')),
        deadlineMs,
      ),
    );
    req.on('socket', (socket) => {
      if ((socket as { connecting?: boolean }).connecting) {
        const connectTimer = setTimeout(
          () => fail(new AttemptError(`could not connect within ${connectTimeoutMs / 1000} s`, 'unreachable')),
          connectTimeoutMs,
        );
        timers.push(connectTimer);
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
      const why = code === 'ECONNRESET' ? 'connection reset (ECONNRESET)' : `${err.message}${code ? ` (${code})` : ''}`;
      fail(new AttemptError(why, 'transient'));
    });

    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= 5) return fail(new AttemptError('too many redirects', 'permanent'));
        settled = true;
        cleanup();
        req.destroy();
        const next = new URL(res.headers.location, url).href;
        fetchToPart({ ...request, url: next }, redirects + 1).then(resolve, reject);
        return;
      }
      if (status === 416) {
        // Our part is not a prefix the server recognises: start over on the next attempt.
        res.resume();
        return fail(new AttemptError('HTTP 416 (range not satisfiable); restarting the file', 'transient'), true);
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
          return fail(
            new AttemptError('the server resumed at the wrong offset; restarting the file', 'transient'),
            true,
          );
        }
        offset = resumeFrom;
        total = m[3] === '*' ? 0 : Number(m[3]);
      } else {
        const length = Number(res.headers['content-length'] ?? 0);
        total = Number.isFinite(length) ? length : 0;
      }
      const tooBig = (n: number) =>
        new AttemptError(
          `sent ${n > maxBytes && total > maxBytes ? 'a length of' : 'more than'} ${(Math.max(n, total) / MB).toFixed(1)} MB; ` +
            `the file has at most ${(maxBytes / MB).toFixed(1)} MB (stopped, and the partial file deleted)`,
          'permanent',
        );
      if (total > maxBytes) {
        res.resume();
        return fail(tooBig(total), true);
      }

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
          file: request.file,
          url: origin,
          bytes,
          total,
          bytesPerSecond: Math.round(bytesPerSecond),
          ...(etaSeconds !== undefined ? { etaSeconds } : {}),
        });
      };

      // Every listener now, before the first await: a body that breaks off while the part's
      // metadata is being written must still end the attempt (it once hung the process).
      res.pause();
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (offset + received > maxBytes) return fail(tooBig(offset + received), true);
        emit(false);
      });
      res.on('error', (err: NodeJS.ErrnoException) =>
        fail(new AttemptError(`${err.code ?? err.message} (the connection broke mid-file)`, 'transient')),
      );
      res.on('close', () => {
        if (!res.complete)
          fail(
            new AttemptError(`the connection closed after ${offset + received} of ${total || '?'} bytes`, 'transient'),
          );
      });
      // A trickle (a byte every 20 s) never trips the idle timeout: measure the speed per window.
      let windowStart = received;
      const speed = setInterval(() => {
        const rate = ((received - windowStart) * 1000) / windowMs;
        windowStart = received;
        if (rate < minSpeed)
          fail(
            new AttemptError(
              `too slow: ${Math.round(rate)} B/s over ${windowMs / 1000} s (at least ${minSpeed} B/s needed)`,
              'transient',
            ),
          );
      }, windowMs);
      timers.push(speed);

      const newMeta: PartMeta = { url: origin, etag: res.headers.etag, lastModified: res.headers['last-modified'] };
      writeFile(metaPath, JSON.stringify(newMeta))
        .then(() => {
          if (settled) return;
          out = createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' });
          out.on('error', (err) =>
            fail(new AttemptError(`cannot write ${part}: ${describeFsError(err)}`, 'permanent')),
          );
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
