// The packed package must run the way users run it: npm pack → install the tarball into an
// empty folder → npx fmnist-tui. Uses the npm registry for dependencies (reachable here and in CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tmuxServer, tmuxSkip } from './tmux-harness.js';

const root = new URL('../../', import.meta.url).pathname;
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

const terminal = tmuxServer('fmnist-pack', 'history');
const { waitFor } = terminal;

/**
 * The installed session in tmux: its first frame (Ink and React from dist/vendor), then one
 * epoch on the embedded sample (the engine's worker thread from dist/), then quit.
 */
async function sessionTrainsOneEpoch(dir: string, env: Record<string, string>): Promise<void> {
  terminal.start(dir, { ...env, CI: '0', FMNIST_OFFLINE: '1' }, 'npx --no-install fmnist-tui --epochs 1');
  const press = (key: string) => terminal.keys(key);
  await waitFor('the data step', (x) => x.includes('Classes (training set)'));
  press('Enter');
  await waitFor('the model step', (x) => x.includes('Parameters 669,706'));
  press('Enter');
  await waitFor('the hyperparameters step', (x) => x.includes('ready to train'));
  press('Enter');
  const s = await waitFor('the end of training', (x) => x.includes('enter: save') || x.includes('✗'), 120_000);
  assert.match(s, /training finished after 1 epoch/);
  press('q');
  await waitFor('the quit question', (x) => x.includes('(y/n)'));
  press('y');
  assert.match(await waitFor('the exit code', (x) => x.includes('EXIT=')), /EXIT=0/);
}

test('the packed tarball installs into an empty folder and runs through npx', { timeout: 600_000 }, async (t) => {
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

  const config = join(work, 'config');
  const env = { ...process.env, FMNIST_CACHE_DIR: join(work, 'cache'), FMNIST_CONFIG_DIR: config, NO_COLOR: '1' };
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

  // Ink, React and conf ship as bundles in dist/vendor (scripts/bundle-ui.mjs): none of them is
  // installed, and the session still runs from the bundles.
  const installed = readdirSync(join(app, 'node_modules'));
  for (const name of ['ink', 'react', 'react-reconciler', 'conf', 'es-toolkit'])
    assert.ok(!installed.includes(name), `${name} is not installed (bundled in dist/vendor)`);
  if (!tmuxSkip) {
    t.after(() => terminal.kill());
    mkdirSync(join(work, 'system'));
    const dirs = { FMNIST_CONFIG_DIR: config, FMNIST_SYSTEM_DIR: join(work, 'system') };
    await sessionTrainsOneEpoch(app, { NO_COLOR: '1', FMNIST_CACHE_DIR: join(work, 'cache'), ...dirs });
  }

  // The session's modules are one bundle (scripts/bundle-session.mjs) that still shares cli.js's
  // UserError: without a terminal the session refuses in one line, not as an internal error.
  const noTerminal = run();
  assert.equal(noTerminal.status, 2, noTerminal.stderr);
  assert.match(noTerminal.stderr, /^fmnist-tui: the interactive session needs a terminal; /m);

  const bad = run('no-such-command');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command 'no-such-command'/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
});
