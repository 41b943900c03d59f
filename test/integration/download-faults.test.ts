// HARDEN items 1, 5, 14, 15: mirrors that reset before the body is read, stream forever or
// trickle, and two downloads into one cache. A loopback node:http server on 127.0.0.1 serves the
// embedded sample (digests SAMPLE_DIGESTS); every cache is a temp dir. Each test has a timeout:
// before the fixes, items 1 and 15 hung (the process exited 13 / never fell back).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDX_FILES, SAMPLE_DIGESTS } from '../../src/core/dataset/files.js';
import type { DataProgress } from '../../src/core/dataset/progress.js';
import { downloadDataset } from '../../src/io/data/download.js';
import { loadDataset } from '../../src/io/data/load.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';

type Behaviour = 'ok' | 'slow-ok' | 'reset-early' | 'endless' | 'trickle';
const files = new Map(IDX_FILES.map((f) => [`${f.name}.gz`, readFileSync(join(embeddedDataDir(), `${f.name}.gz`))]));
const timers = new Set<NodeJS.Timeout>();

const server = http.createServer((req, res) => {
  const [, behaviour, file] = (req.url ?? '').split('/') as [string, Behaviour, string];
  const body = files.get(file);
  if (!body) return void res.writeHead(404).end();
  switch (behaviour) {
    case 'reset-early':
      // Headers and a few bytes, then the socket goes at once: the client sees the end of the
      // body while it is still writing the .part.json.
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, 100), () => res.socket?.destroy());
      return;
    case 'endless': {
      res.writeHead(200); // no length: chunked, forever
      const chunk = Buffer.alloc(16_384, 7);
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return;
        res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
      return;
    }
    case 'trickle': {
      res.writeHead(200, { 'content-length': body.length });
      let i = 0;
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(body.subarray(i, ++i))), 50);
      timers.add(t);
      return;
    }
    case 'slow-ok': {
      res.writeHead(200, { 'content-length': body.length });
      const t = setTimeout(() => res.end(body), 150);
      timers.add(t);
      return;
    }
    default:
      res.writeHead(200, { 'content-length': body.length }).end(body);
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
after(() => {
  for (const t of timers) clearInterval(t);
  server.closeAllConnections();
  server.close();
});

const mirror = (b: Behaviour) => `http://127.0.0.1:${port}/${b}/`;
const tempCache = () => join(mkdtempSync(join(tmpdir(), 'fmnist-dlf-')), 'cache');
const fast = { digests: SAMPLE_DIGESTS, backoffMs: 10, connectTimeoutMs: 2000, readTimeoutMs: 2000 };
const collect = () => {
  const events: DataProgress[] = [];
  return { events, onProgress: (p: DataProgress) => events.push(p) };
};
const reasons = (events: DataProgress[]) =>
  events.flatMap((e) => (e.type === 'mirror-failed' || e.type === 'retry' ? [e.reason] : []));
const gzOnly = (dir: string) =>
  readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort();
const ALL = IDX_FILES.map((f) => `${f.name}.gz`).sort();

test('item 1: a mirror that resets before the body is read is retried, then the next mirror is used', {
  timeout: 20_000,
}, async () => {
  const cacheDir = tempCache();
  const { events, onProgress } = collect();
  await downloadDataset({ ...fast, cacheDir, mirrors: [mirror('reset-early'), mirror('ok')], onProgress });
  assert.deepEqual(gzOnly(cacheDir), ALL, 'no 0-byte .part or .part.json left');
  assert.ok(
    events.some((e) => e.type === 'retry'),
    'retried on the same mirror first',
  );
  assert.match(reasons(events).join('\n'), /connection (closed after|reset)|ECONNRESET|aborted/);
});

test('item 1: with only that mirror, loading falls back to the embedded sample with a message', {
  timeout: 20_000,
}, async () => {
  const cacheDir = tempCache();
  const env = {
    FMNIST_CACHE_DIR: cacheDir,
    FMNIST_SYSTEM_DIR: join(cacheDir, 'x'),
    FMNIST_MIRRORS: mirror('reset-early'),
    HOME: cacheDir,
  };
  const { events, onProgress } = collect();
  const data = await loadDataset({ env, onProgress, downloadOptions: fast });
  assert.equal(data.source.kind, 'embedded');
  assert.ok(events.some((e) => e.type === 'mirror-failed'));
});

test('item 14: a mirror that streams endless data is stopped at the file size cap and its part deleted', {
  timeout: 20_000,
}, async () => {
  const cacheDir = tempCache();
  const { events, onProgress } = collect();
  await downloadDataset({ ...fast, cacheDir, mirrors: [mirror('endless'), mirror('ok')], onProgress });
  assert.deepEqual(readdirSync(cacheDir).sort(), ALL, 'no .part left');
  assert.match(
    reasons(events)[0],
    /sent more than [\d.]+ MB; the file has at most [\d.]+ MB \(stopped, and the partial file deleted\)/,
  );
  const biggest = Math.max(
    ...events.flatMap((e) => (e.type === 'download' && e.url.includes('endless') ? [e.bytes] : [])),
  );
  assert.ok(biggest < 5e6, `stopped near the cap (${biggest} bytes)`);
});

test('item 15: a mirror that trickles is given up for being too slow, then the next mirror', {
  timeout: 30_000,
}, async () => {
  const cacheDir = tempCache();
  const { events, onProgress } = collect();
  await downloadDataset({
    ...fast,
    attemptsPerMirror: 1,
    minBytesPerSecond: 1000,
    speedWindowMs: 300,
    cacheDir,
    mirrors: [mirror('trickle'), mirror('ok')],
    onProgress,
  });
  assert.deepEqual(gzOnly(cacheDir), ALL);
  assert.match(reasons(events)[0], /too slow: \d+ B\/s over 0\.3 s \(at least 1000 B\/s needed\)/);
});

test('item 15: an overall deadline per file ends an attempt that is steady but endless', {
  timeout: 30_000,
}, async () => {
  const cacheDir = tempCache();
  const { events, onProgress } = collect();
  await downloadDataset({
    ...fast,
    attemptsPerMirror: 1,
    minBytesPerSecond: 1,
    deadlineMs: 400,
    cacheDir,
    mirrors: [mirror('trickle'), mirror('ok')],
    onProgress,
  });
  assert.match(reasons(events)[0], /not finished within/);
});

test('item 5: two downloads into one cache: the second waits for the first, both succeed', {
  timeout: 30_000,
}, async () => {
  const cacheDir = tempCache();
  const a = collect();
  const b = collect();
  const [x, y] = await Promise.all([
    downloadDataset({ ...fast, cacheDir, mirrors: [mirror('slow-ok')], onProgress: a.onProgress }),
    downloadDataset({ ...fast, cacheDir, mirrors: [mirror('slow-ok')], onProgress: b.onProgress }),
  ]);
  assert.equal(x.length, 4);
  assert.equal(y.length, 4);
  assert.deepEqual(readdirSync(cacheDir).sort(), ALL, 'lock released');
  const waited = [...a.events, ...b.events].filter(
    (e) => e.type === 'retry' && /is downloading into it; waiting/.test(e.reason),
  );
  assert.equal(waited.length, 1, 'exactly one of them waited');
});
