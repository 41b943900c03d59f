import type { DataSource, DataSourceKind } from './types.js';

/**
 * Progress while the data is found, downloaded and verified: one callback receives these
 * typed records (the shape of transformers.js's progress_callback), discriminated by `type`.
 *
 * A typical offline first run: skip(data-dir) → skip(cache) → skip(system) → skip(download)
 * → source(embedded) → verifying/verify ×4 → ready.
 */
export type DataProgress =
  /** A source was tried and not used; `reason` says why ("not set", "no files in /x", "offline"). */
  | { readonly type: 'skip'; readonly kind: DataSourceKind; readonly dir?: string; readonly reason: string }
  /** The source the data will be read from (always reported before reading). */
  | {
      readonly type: 'source';
      readonly kind: DataSourceKind;
      readonly dir: string;
      readonly subset: boolean;
      readonly description: string;
    }
  /** A download request is starting (`resumeFrom` > 0 when a partial file is resumed with Range). */
  | {
      readonly type: 'download-start';
      readonly file: string;
      readonly url: string;
      readonly attempt: number;
      readonly resumeFrom: number;
    }
  /** Bytes of `file` received so far (including a resumed part); throttled to a few per second. */
  | {
      readonly type: 'download';
      readonly file: string;
      readonly url: string;
      readonly bytes: number;
      /** 0 when the server sent no length. */
      readonly total: number;
      readonly bytesPerSecond: number;
      /** undefined when unknown (no length, or no speed yet). */
      readonly etaSeconds?: number;
    }
  /** An attempt failed and will be repeated on the same mirror after `delayMs`. */
  | {
      readonly type: 'retry';
      readonly file: string;
      readonly url: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: string;
    }
  /** A mirror gave up for this file; the next one is tried. */
  | { readonly type: 'mirror-failed'; readonly file: string; readonly url: string; readonly reason: string }
  /** A file finished downloading (not yet verified). */
  | { readonly type: 'downloaded'; readonly file: string; readonly url: string; readonly bytes: number }
  /** Decompressing and hashing a file. */
  | { readonly type: 'verifying'; readonly file: string; readonly kind: DataSourceKind }
  /** A file's verdict: ok = decompressed content matched its SHA-256 (and parsed as IDX). */
  | {
      readonly type: 'verify';
      readonly file: string;
      readonly ok: boolean;
      readonly sha256?: string;
      readonly reason?: string;
    }
  /** A file that failed verification was deleted from the cache so it is never used again. */
  | { readonly type: 'removed'; readonly path: string; readonly reason: string }
  /** The data set is in memory. */
  | {
      readonly type: 'ready';
      readonly source: DataSource;
      readonly verified: boolean;
      readonly train: number;
      readonly test: number;
      readonly milliseconds: number;
    };

/** One line of text for a progress record (for logs and non-TTY output). */
export function describeProgress(p: DataProgress): string {
  switch (p.type) {
    case 'skip':
      return `${p.kind}: ${p.reason}`;
    case 'source':
      return `using ${p.description}`;
    case 'download-start':
      return (
        `${p.file}: ${p.resumeFrom > 0 ? `resuming at ${p.resumeFrom} bytes from` : 'downloading'} ${p.url}` +
        (p.attempt > 1 ? ` (attempt ${p.attempt})` : '')
      );
    case 'download': {
      const pct = p.total > 0 ? ` ${((100 * p.bytes) / p.total).toFixed(0)}%` : '';
      return (
        `${p.file}:${pct} ${formatBytes(p.bytes)}${p.total ? ` of ${formatBytes(p.total)}` : ''}, ` +
        `${formatBytes(p.bytesPerSecond)}/s${p.etaSeconds !== undefined ? `, ${formatSeconds(p.etaSeconds)} left` : ''}`
      );
    }
    case 'retry':
      return `${p.file}: ${p.reason}; retrying in ${(p.delayMs / 1000).toFixed(1)} s`;
    case 'mirror-failed':
      return `${p.file}: ${p.url} failed (${p.reason}); trying the next mirror`;
    case 'downloaded':
      return `${p.file}: downloaded ${formatBytes(p.bytes)}`;
    case 'verifying':
      return `${p.file}: verifying`;
    case 'verify':
      return p.ok ? `${p.file}: verified` : `${p.file}: REJECTED (${p.reason ?? 'checksum mismatch'})`;
    case 'removed':
      return `removed ${p.path} (${p.reason})`;
    case 'ready':
      return (
        `ready: ${p.train.toLocaleString('en-US')} train / ${p.test.toLocaleString('en-US')} test images ` +
        `from ${p.source.description}${p.verified ? ', verified' : ', NOT verified'} (${p.milliseconds} ms)`
      );
  }
}

/** 26.4 MB, 512 kB, 100 B (decimal units, as download tools show them). */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${Math.round(n)} B`;
}

/** 1:05, 12 s */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const r = Math.max(0, Math.round(s));
  return r >= 60 ? `${Math.floor(r / 60)}:${String(r % 60).padStart(2, '0')}` : `${r} s`;
}
