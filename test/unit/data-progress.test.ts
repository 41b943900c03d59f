import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeProgress, formatBytes, formatSeconds, type DataProgress } from '../../src/core/dataset/progress.js';

test('every progress record has a one-line description', () => {
  const source = { kind: 'system', dir: '/d', subset: false, description: 'system copy (/d)' } as const;
  const cases: [DataProgress, string][] = [
    [{ type: 'skip', kind: 'cache', reason: 'no files in /c' }, 'cache: no files in /c'],
    [{ type: 'source', ...source }, 'using system copy (/d)'],
    [
      { type: 'download-start', file: 'f', url: 'http://m/f.gz', attempt: 1, resumeFrom: 0 },
      'f: downloading http://m/f.gz',
    ],
    [
      { type: 'download-start', file: 'f', url: 'http://m/f.gz', attempt: 2, resumeFrom: 1000 },
      'f: resuming at 1000 bytes from http://m/f.gz (attempt 2)',
    ],
    [
      {
        type: 'download',
        file: 'f',
        url: 'u',
        bytes: 13_200_000,
        total: 26_421_856,
        bytesPerSecond: 2_000_000,
        etaSeconds: 66.6,
      },
      'f: 50% 13.2 MB of 26.4 MB, 2.0 MB/s, 1:07 left',
    ],
    [{ type: 'download', file: 'f', url: 'u', bytes: 500, total: 0, bytesPerSecond: 0 }, 'f: 500 B, 0 B/s'],
    [
      { type: 'retry', file: 'f', url: 'u', attempt: 1, delayMs: 500, reason: 'connection reset (ECONNRESET)' },
      'f: connection reset (ECONNRESET); retrying in 0.5 s',
    ],
    [
      { type: 'mirror-failed', file: 'f', url: 'u', reason: 'HTTP 404' },
      'f: u failed (HTTP 404); trying the next mirror',
    ],
    [{ type: 'downloaded', file: 'f', url: 'u', bytes: 5125 }, 'f: downloaded 5 kB'],
    [{ type: 'verifying', file: 'f', kind: 'download' }, 'f: verifying'],
    [{ type: 'verify', file: 'f', ok: true }, 'f: verified'],
    [{ type: 'verify', file: 'f', ok: false, reason: 'SHA-256 mismatch' }, 'f: REJECTED (SHA-256 mismatch)'],
    [{ type: 'removed', path: '/c/f.gz', reason: 'failed verification' }, 'removed /c/f.gz (failed verification)'],
    [
      { type: 'ready', source, verified: true, train: 60000, test: 10000, milliseconds: 150 },
      'ready: 60,000 train / 10,000 test images from system copy (/d), verified (150 ms)',
    ],
  ];
  for (const [p, text] of cases) assert.equal(describeProgress(p), text);
  assert.deepEqual([999, 1500, 2_500_000, 3e9].map(formatBytes), ['999 B', '2 kB', '2.5 MB', '3.00 GB']);
  assert.deepEqual([0, 59.4, 61, Infinity].map(formatSeconds), ['0 s', '59 s', '1:01', '?']);
});
