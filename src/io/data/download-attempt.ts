/** What one download attempt can end with, and the small helpers the downloader shares. */

/** Why one request failed, and what that means for retrying. */
export class AttemptError extends Error {
  constructor(
    message: string,
    /** unreachable: could not connect (no retry on this mirror); transient: retry; permanent: next mirror. */
    readonly kind: 'unreachable' | 'transient' | 'permanent',
  ) {
    super(message);
  }
}

/** Could not connect at all: not retried on the same mirror. */
export const UNREACHABLE: Readonly<Record<string, string>> = {
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

/** Where a `.part` file came from (`.part.json`), so it is resumed only from that URL. */
export interface PartMeta {
  url: string;
  etag?: string;
  lastModified?: string;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return Object.assign(new Error('the download was cancelled'), { name: 'AbortError' });
}
