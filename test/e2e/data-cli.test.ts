// `fmnist-tui data` as a subprocess. Every run gets a temp HOME and cache and no network
// (FMNIST_MIRRORS points at 127.0.0.1), so the real ~/.cache and the internet are never touched.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDX_FILES } from '../../src/core/dataset/files.js';
import { embeddedDataDir, SYSTEM_DATA_DIR } from '../../src/io/data/paths.js';

const root = new URL('../../', import.meta.url).pathname;
const hasSystem = IDX_FILES.every((f) => existsSync(join(SYSTEM_DATA_DIR, `${f.name}.gz`)));

// A closed port: downloads fail at once with "connection refused".
const closed = http.createServer();
await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
const deadPort = (closed.address() as AddressInfo).port;
await new Promise<void>((r) => closed.close(() => r()));

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'fmnist-cli-'));
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
  };
  return {
    ...base,
    FMNIST_MIRRORS: `http://127.0.0.1:${deadPort}/`,
    FMNIST_SYSTEM_DIR: join(home, 'no-system'),
    ...extra,
  };
}

function cli(args: string[], e: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], { cwd: root, env: e });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('data --json reports 60,000 / 10,000 verified from the system copy', {
  skip: hasSystem ? false : `${SYSTEM_DATA_DIR} not installed`,
}, async () => {
  const r = await cli(['data', '--json'], env({ FMNIST_SYSTEM_DIR: SYSTEM_DATA_DIR }));
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.source.kind, 'system');
  assert.equal(json.verified, true);
  assert.equal(json.train.count, 60000);
  assert.equal(json.test.count, 10000);
  assert.equal(json.train.classes['Ankle boot'], 6000);
  assert.equal(json.files.length, 4);
  assert.equal(r.stderr, '');
});

test('offline with nothing installed: the embedded sample, reported as a subset, with the sources tried', async () => {
  const r = await cli(['data'], env());
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^Fashion-MNIST from the embedded sample \(6,000 train \/ 1,000 test: a class-balanced subset, not the full set\)$/m,
  );
  assert.match(r.stdout, /tried download: .*no mirror could be reached — offline\?/);
  assert.match(r.stdout, /^Verified: yes, all 4 files match their SHA-256/m);
  assert.match(r.stdout, /^9 Ankle boot +600 +100$/m);
  assert.match(r.stdout, /^total +6,000 +1,000$/m);
  assert.equal(r.stderr, '');
});

test('data --preview draws images with labels (ASCII when asked or on a non-UTF-8 locale)', async () => {
  const r = await cli(['data', '--preview', '3', '--ascii', '--offline'], env());
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /First 3 test images:/);
  assert.match(r.stdout, /#0 \S[\s\S]*#1 \S[\s\S]*#2 \S/);
  assert.match(r.stdout, /[@%#]{5}/);
  assert.equal(/[▀░▒▓█\x1b]/.test(r.stdout), false);
  const c = await cli(['data', '--preview', '1', '--offline'], env({ LANG: 'C' }));
  assert.equal(/[▀░▒▓█]/.test(c.stdout), false, 'LANG=C → ASCII');
  const u = await cli(['data', '--preview', '1', '--offline'], env({ LANG: 'en_US.UTF-8' }));
  assert.match(u.stdout, /[░▒▓█]/);
  assert.equal(u.stdout.includes('\x1b'), false, 'NO_COLOR and a pipe → no colour');
});

test('data --data-dir with a truncated file: one line on stderr, exit 1, nothing on stdout, nothing written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-bad-'));
  for (const f of IDX_FILES) copyFileSync(join(embeddedDataDir(), `${f.name}.gz`), join(dir, `${f.name}.gz`));
  const bad = join(dir, 'train-images-idx3-ubyte.gz');
  writeFileSync(bad, readFileSync(bad).subarray(0, 4096));
  const e = env();
  const r = await cli(['data', '--data-dir', dir], e);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0],
    new RegExp(
      `^fmnist-tui: ${dir}/train-images-idx3-ubyte\\.gz: the gzip data is truncated \\(unexpected end of file\\) — replace it with an intact copy`,
    ),
  );
  assert.equal(readdirSync(dir).length, 4);
  assert.equal(statSync(bad).size, 4096);
  assert.equal(existsSync(e.XDG_CACHE_HOME!), false, 'no cache created');
});

test('usage errors and help', async () => {
  const e = env();
  const bad = await cli(['data', '--preview', 'many'], e);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^fmnist-tui: --preview must be a number \(got 'many'\)\n$/);
  const sub = await cli(['data', 'fetch'], e);
  assert.equal(sub.status, 2);
  assert.match(sub.stderr, /unknown subcommand 'fetch'/);
  const help = await cli(['data', '--help'], e);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Examples\n {2}\$ fmnist-tui data /);
  assert.match(help.stdout, /FMNIST_CACHE_DIR/);
  const dlHelp = await cli(['data', 'download', '--help'], e);
  assert.match(dlHelp.stdout, /--force/);
});

test('data download: progress on stderr, verified files in the cache, then `data` uses the cache', {
  skip: hasSystem ? false : `${SYSTEM_DATA_DIR} not installed`,
}, async () => {
  // A local mirror serving the system copy's files.
  const server = http.createServer((req, res) => {
    const file = join(SYSTEM_DATA_DIR, (req.url ?? '').replace(/^\/+/, ''));
    if (!IDX_FILES.some((f) => req.url === `/${f.name}.gz`)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const e = env({ FMNIST_MIRRORS: `http://127.0.0.1:${deadPort}/ http://127.0.0.1:${port}/` });
  const r = await cli(['data', 'download'], e);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Downloaded 4 files and verified all 4 in [\d.]+ s: /);
  assert.match(r.stderr, /connection refused \(ECONNREFUSED\)\); trying the next mirror/);
  assert.match(r.stderr, /train-images-idx3-ubyte: 100% 26\.4 MB of 26\.4 MB/);
  assert.match(r.stderr, /train-images-idx3-ubyte: verified/);
  const cache = join(e.XDG_CACHE_HOME!, 'fmnist-tui', 'fashion-mnist');
  assert.deepEqual(readdirSync(cache).sort(), IDX_FILES.map((f) => `${f.name}.gz`).sort());

  const again = await cli(['data', 'download', '--json'], e);
  assert.equal(JSON.parse(again.stdout).verified, true);
  const data = await cli(['data', '--json'], e);
  assert.equal(JSON.parse(data.stdout).source.kind, 'cache');
});

test('data download with no reachable mirror fails with one clear final line', async () => {
  const r = await cli(['data', 'download'], env());
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr.trimEnd().split('\n').at(-1)!,
    /^fmnist-tui: train-images-idx3-ubyte\.gz: no mirror could be reached — offline\? \(127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)\)$/,
  );
});
