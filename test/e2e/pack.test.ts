// The packed package must run the way users run it: npm pack → install the tarball into an
// empty folder → npx fmnist-tui. Uses the npm registry for dependencies (reachable here and in CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

test('the packed tarball installs into an empty folder and runs through npx', { timeout: 600_000 }, (t) => {
  const work = mkdtempSync(join(tmpdir(), 'fmnist-pack-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const packDir = join(work, 'pack');
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', packDir, app]);

  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], {
    cwd: root,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop()!;
  const tarball = join(packDir, packed);
  assert.ok(readdirSync(packDir).includes(packed), `npm pack wrote ${packed}`);

  // What the README tells users: onnxruntime-node's install step would otherwise try to
  // download CUDA binaries, which fails without internet.
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-check', version: '1.0.0', private: true }));
  writeFileSync(join(app, '.npmrc'), 'onnxruntime-node-install=skip\n');
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: app, encoding: 'utf8' });
  assert.equal(install.status, 0, `npm install of the tarball failed:\n${install.stderr}`);

  const env = { ...process.env, FMNIST_CACHE_DIR: join(work, 'cache'), NO_COLOR: '1' };
  const run = (...args: string[]) =>
    spawnSync('npx', ['--no-install', 'fmnist-tui', ...args], { cwd: app, env, encoding: 'utf8' });

  const help = run('--help');
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /Usage/);
  assert.match(help.stdout, /fmnist-tui train/);

  const v = run('--version');
  assert.equal(v.stdout.trim(), version);

  const data = run('data');
  assert.equal(data.status, 0, data.stderr);
  assert.match(data.stdout + data.stderr, /train/i);
  assert.match(data.stdout, /(60,?000|6,?000)/);

  // TF.js ships as one bundle in dist (scripts/bundle-tfjs.mjs): no @tensorflow packages are
  // installed, and --engine tfjs still trains out of the box (the embedded sample, one step).
  assert.ok(!readdirSync(join(app, 'node_modules')).includes('@tensorflow'), 'no @tensorflow packages in the install');
  const tfjs = run('train', '--engine', 'tfjs', '--epochs', '1', '--batch-size', '6000');
  assert.equal(tfjs.status, 0, tfjs.stderr);
  assert.match(tfjs.stderr, /tfjs 4\.\d+\.\d+ \(wasm/);
  assert.match(tfjs.stdout, /Accuracy: \d+\.\d%/);

  const bad = run('no-such-command');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command 'no-such-command'/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
});
