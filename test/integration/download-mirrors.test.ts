// The downloader against a real node:http server on 127.0.0.1 with injected faults.
// Each "mirror" is a path prefix whose behaviour the test picks; the files served are the
// embedded sample (so the expected digests are SAMPLE_DIGESTS). Never touches the internet
// or the real ~/.cache: every cache is a temp dir.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { SAMPLE_DIGESTS, IDX_FILES } from '../../src/core/dataset/files.js';
import type { DataProgress } from '../../src/core/dataset/progress.js';
import { downloadDataset } from '../../src/io/data/download.js';
import { loadDataset } from '../../src/io/data/load.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';

type Behaviour = 'ok' | '404' | 'reset-once' | 'wrong' | 'stall' | 'truncated-gzip' | 'no-range';

const files = new Map(IDX_FILES.map((f) => [`${f.name}.gz`, readFileSync(join(embeddedDataDir(), `${f.name}.gz`))]));
const requests: { path: string; range?: string }[] = [];
const resetDone = new Set<string>();

const server = http.createServer((req, res) => {
  const [, mirror, file] = (req.url ?? '').split('/');
  requests.push({ path: req.url ?? '', range: req.headers.range });
  const body = files.get(file);
  const behaviour = mirror as Behaviour;
  if (!body || behaviour === '404') {
    res.writeHead(404).end('not found');
    return;
  }
  if (behaviour === 'stall') {
    res.writeHead(200, { 'content-length': body.length });
    res.write(body.subarray(0, 10)); // then silence
    return;
  }
  if (behaviour === 'wrong') {
    const wrong = gzipSync(Buffer.from('this is not Fashion-MNIST'));
    res.writeHead(200, { 'content-length': wrong.length }).end(wrong);
    return;
  }
  if (behaviour === 'truncated-gzip') {
    const cut = body.subarray(0, body.length - 100);
    res.writeHead(200, { 'content-length': cut.length }).end(cut);
    return;
  }
  const range = behaviour === 'no-range' ? undefined : /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const etag = `"${file}-v1"`;
  if (range) {
    const start = Number(range[1]);
    res.writeHead(206, {
      'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      'content-length': body.length - start,
      etag,
    });
    res.end(body.subarray(start));
    return;
  }
  if (behaviour === 'reset-once' && !resetDone.has(file)) {
    resetDone.add(file);
    res.writeHead(200, { 'content-length': body.length, etag });
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 20));
    return;
  }
  res.writeHead(200, { 'content-length': body.length, etag }).end(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
after(() => {
  server.closeAllConnections();
  server.close();
});

const mirror = (b: Behaviour) => `http://127.0.0.1:${port}/${b}/`;
const tempCache = () => join(mkdtempSync(join(tmpdir(), 'fmnist-dl-')), 'cache');
const fast = { digests: SAMPLE_DIGESTS, backoffMs: 10, connectTimeoutMs: 2000, readTimeoutMs: 300 };
const collect = () => {
  const events: DataProgress[] = [];
  return { events, onProgress: (p: DataProgress) => events.push(p) };
};

test('404 on the first mirror: falls back to the next one and verifies every file', async () => {
  const cacheDir = tempCache();
  const { events, onProgress } = collect();
  const got = await downloadDataset({ ...fast, cacheDir, mirrors: [mirror('404'), mirror('ok')], onProgress });
  assert.equal(got.length, 4);
  assert.deepEqual(readdirSync(cacheDir).sort(), IDX_FILES.map((f) => `${f.name}.gz`).sort());
  const failed = events.filter((e) => e.type === 'mirror-failed');
  assert.equal(failed.length, 4);
  assert.match((failed[0] as { reason: string }).reason, /HTTP 404/);
  assert.equal(events.filter((e) => e.type === 'verify' && e.ok).length, 4);
  const progress = events.filter((e) => e.type === 'download');
  assert.ok(progress.length >= 4, 'per-file progress events');
  const last = progress.at(-1) as Extract<DataProgress, { type: 'download' }>;
  assert.equal(last.bytes, last.total);
  assert.ok(last.bytesPerSecond > 0);
});

test('a connection reset mid-body is resumed with an HTTP Range request', async () => {
  const cacheDir = tempCache();
  const { events, onProgress } = collect();
  requests.length = 0;
  await downloadDataset({ ...fast, cacheDir, mirrors: [mirror('reset-once')], onProgress });
  const trainImages = requests.filter((r) => r.path.endsWith('train-images-idx3-ubyte.gz'));
  assert.equal(trainImages.length, 2);
  assert.equal(trainImages[0].range, undefined);
  // The server sends half the body, then resets. How much of it arrived before the reset
  // depends on scheduling, so the resume point is whatever the client had: > 0 and ≤ half.
  const half = Math.floor(files.get('train-images-idx3-ubyte.gz')!.length / 2);
  const resumedFrom = Number(/^bytes=(\d+)-$/.exec(trainImages[1].range ?? '')?.[1]);
  assert.ok(
    resumedFrom > 0 && resumedFrom <= half,
    `Range ${trainImages[1].range} resumes within the first half (${half})`,
  );
  assert.ok(events.some((e) => e.type === 'retry' && e.file === 'train-images-idx3-ubyte'));
  assert.ok(events.some((e) => e.type === 'download-start' && e.resumeFrom === resumedFrom));
  assert.deepEqual(readFileSync(join(cacheDir, 'train-images-idx3-ubyte.gz')), files.get('train-images-idx3-ubyte.gz'));
  assert.deepEqual(
    readdirSync(cacheDir).filter((f) => f.includes('.part')),
    [],
  );
});

test('a server that ignores Range (200 instead of 206) restarts the file from zero', async () => {
  const cacheDir = tempCache();
  // A stale part from this mirror, with garbage in it: must not end up in the file.
  const { mkdirSync } = await import('node:fs');
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(join(cacheDir, 'train-labels-idx1-ubyte.gz.part'), 'garbage');
  writeFileSync(
    join(cacheDir, 'train-labels-idx1-ubyte.gz.part.json'),
    JSON.stringify({ url: `${mirror('no-range')}train-labels-idx1-ubyte.gz` }),
  );
  await downloadDataset({ ...fast, cacheDir, mirrors: [mirror('no-range')] });
  assert.deepEqual(readFileSync(join(cacheDir, 'train-labels-idx1-ubyte.gz')), files.get('train-labels-idx1-ubyte.gz'));
});

test('wrong content is rejected and nothing is left in the cache', async () => {
  const cacheDir = tempCache();
  const { events, onProgress } = collect();
  await assert.rejects(
    downloadDataset({ ...fast, cacheDir, mirrors: [mirror('wrong'), mirror('truncated-gzip')], onProgress }),
    (err: Error) => {
      assert.equal(err.message.split('\n').length, 1);
      assert.match(
        err.message,
        /^train-images-idx3-ubyte\.gz: every mirror failed .*not an IDX images file.*gzip data is truncated/,
      );
      return true;
    },
  );
  assert.equal(existsSync(cacheDir) ? readdirSync(cacheDir).length : 0, 0, 'no file (not even a .part) is left');
  assert.ok(events.some((e) => e.type === 'verify' && !e.ok));
  assert.ok(events.some((e) => e.type === 'removed'));
});

test('a stalled server times out and the next mirror is used', async () => {
  const cacheDir = tempCache();
  const { events, onProgress } = collect();
  await downloadDataset({
    ...fast,
    attemptsPerMirror: 2,
    cacheDir,
    mirrors: [mirror('stall'), mirror('ok')],
    onProgress,
  });
  const retries = events.filter((e) => e.type === 'retry');
  assert.ok(retries.length >= 1);
  assert.match((retries[0] as { reason: string }).reason, /stalled/);
  assert.ok(events.some((e) => e.type === 'mirror-failed' && e.url.includes('/stall/')));
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.gz')).length, 4);
});

test('an already verified cache is not downloaded again', async () => {
  const cacheDir = tempCache();
  await downloadDataset({ ...fast, cacheDir, mirrors: [mirror('ok')] });
  requests.length = 0;
  await downloadDataset({ ...fast, cacheDir, mirrors: [mirror('ok')] });
  assert.equal(requests.length, 0);
});

test('loadDataset downloads into the cache when nothing else is there (source "download")', async () => {
  const cacheDir = tempCache();
  const env = {
    FMNIST_CACHE_DIR: cacheDir,
    FMNIST_SYSTEM_DIR: join(cacheDir, 'no-system'),
    FMNIST_MIRRORS: `${mirror('404')} ${mirror('ok')}`,
    HOME: cacheDir,
  };
  const { events, onProgress } = collect();
  const data = await loadDataset({ env, onProgress, downloadOptions: fast });
  assert.equal(data.source.kind, 'download');
  assert.equal(data.train.count, 6000);
  assert.equal(data.verified, true);
  assert.deepEqual(
    data.tried.map((t) => [t.kind, t.used]),
    [
      ['data-dir', false],
      ['cache', false],
      ['system', false],
      ['download', true],
    ],
  );
  assert.ok(events.some((e) => e.type === 'ready'));
  // The next load finds it in the cache.
  const again = await loadDataset({ env, download: false });
  assert.equal(again.source.kind, 'cache');
});

test('offline (nothing listening): falls through to the embedded sample at once, cache untouched', async () => {
  const cacheDir = tempCache();
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const env = {
    FMNIST_CACHE_DIR: cacheDir,
    FMNIST_SYSTEM_DIR: join(cacheDir, 'none'),
    FMNIST_MIRRORS: `http://127.0.0.1:${deadPort}/a/,http://127.0.0.1:${deadPort}/b/`,
    HOME: cacheDir,
  };
  const { events, onProgress } = collect();
  const data = await loadDataset({ env, onProgress });
  assert.equal(data.source.kind, 'embedded');
  assert.equal(data.source.subset, true);
  const skip = events.find((e) => e.type === 'skip' && e.kind === 'download') as Extract<
    DataProgress,
    { type: 'skip' }
  >;
  assert.match(skip.reason, /no mirror could be reached — offline\? .*connection refused/);
  assert.equal(existsSync(cacheDir), false, 'no empty cache dir left behind');
});

test('a partial file from another mirror is not resumed (gzip bytes differ between mirrors)', async () => {
  const cacheDir = tempCache();
  const { mkdirSync } = await import('node:fs');
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(
    join(cacheDir, 'train-labels-idx1-ubyte.gz.part'),
    files.get('train-labels-idx1-ubyte.gz')!.subarray(0, 100),
  );
  writeFileSync(
    join(cacheDir, 'train-labels-idx1-ubyte.gz.part.json'),
    JSON.stringify({ url: 'http://elsewhere.invalid/train-labels-idx1-ubyte.gz' }),
  );
  requests.length = 0;
  await downloadDataset({ ...fast, cacheDir, mirrors: [mirror('ok')] });
  const labels = requests.filter((r) => r.path.endsWith('train-labels-idx1-ubyte.gz'));
  assert.equal(labels.length, 1);
  assert.equal(labels[0].range, undefined);
  assert.equal(existsSync(join(cacheDir, 'train-labels-idx1-ubyte.gz.part.json')), false);
});

test('abort mid-download: rejects with AbortError and keeps the .part for a later resume', async () => {
  const cacheDir = tempCache();
  const controller = new AbortController();
  const onProgress = (p: DataProgress) => {
    if (p.type === 'download') controller.abort();
  };
  await assert.rejects(
    downloadDataset({
      ...fast,
      readTimeoutMs: 5000,
      cacheDir,
      mirrors: [mirror('stall')],
      onProgress,
      signal: controller.signal,
    }),
    { name: 'AbortError' },
  );
  assert.equal(existsSync(join(cacheDir, 'train-images-idx3-ubyte.gz')), false);
  assert.equal(existsSync(join(cacheDir, 'train-images-idx3-ubyte.gz.part')), true);
});
