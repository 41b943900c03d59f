// The interactive session in a real terminal: tmux on a private socket runs `fmnist-tui` from
// the source on the embedded sample (empty cache, no system copy, offline), 1 epoch, and the
// test presses Enter through every step, reading the screen with capture-pane.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmuxMissing = spawnSync('tmux', ['-V']).error !== undefined;
const socket = `fmnist-e2e-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The whole pane including what scrolled off (the <Static> epoch rows sit above the live area). */
const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-300', '-t', 'app').stdout;

async function waitFor(what: string, predicate: (s: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const s = screen();
    if (predicate(s)) return s;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; the screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('fmnist-tui without a terminal', () => {
  const config = mkdtempSync(join(tmpdir(), 'fmnist-cfg-'));
  after(() => rmSync(config, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'src/cli.tsx'), ...args], {
      cwd: repo,
      encoding: 'utf8',
      input: '',
      env: { ...process.env, FMNIST_CONFIG_DIR: config },
    });
  const cases: [string, string[], RegExp][] = [
    [
      'points to the subcommands',
      [],
      new RegExp(
        '^fmnist-tui: the interactive session needs a terminal; for scripts use a subcommand: ' +
          String.raw`fmnist-tui data \| train \| tune \| export \| verify \| predict \(see 'fmnist-tui --help'\)\n$`,
      ),
    ],
    [
      'refuses a bad train flag first',
      ['--lr', '0'],
      /^fmnist-tui: learning rate must be a number above 0, e\.g\. 1e-3 \(got 0\)\n$/,
    ],
    [
      'refuses train-only flags',
      ['--json'],
      /^fmnist-tui: --json is for 'fmnist-tui train', not the interactive session\n$/,
    ],
  ];
  for (const [name, args, message] of cases)
    it(`${name}: one line, exit code 2`, () => {
      const r = run(...args);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    });
});

describe('fmnist-tui in tmux', { skip: tmuxMissing ? 'tmux is not installed (CI installs it)' : false }, () => {
  const home = mkdtempSync(join(tmpdir(), 'fmnist-tmux-'));
  after(() => {
    tmux('kill-server');
    rmSync(home, { recursive: true, force: true });
  });

  it('Enter through every step on the embedded sample: trained, saved, exported, verified PASS', async () => {
    for (const d of ['cache', 'system', 'config', 'work']) mkdirSync(join(home, d));
    const env = [
      'CI=0', // Ink draws nothing live when it thinks it is in CI
      'NO_COLOR=1',
      `TSX_TSCONFIG_PATH=${join(repo, 'tsconfig.json')}`,
      `FMNIST_CACHE_DIR=${join(home, 'cache')}`,
      `FMNIST_SYSTEM_DIR=${join(home, 'system')}`,
      'FMNIST_OFFLINE=1',
      `FMNIST_CONFIG_DIR=${join(home, 'config')}`,
    ];
    const loader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
    const cli = join(repo, 'src/cli.tsx');
    const command = `env ${env.map(sh).join(' ')} ${sh(process.execPath)} --import ${sh(loader)} ${sh(cli)} --epochs 1 --save run; echo "EXIT=$?"; sleep 60`;
    const started = tmux('new-session', '-d', '-s', 'app', '-x', '100', '-y', '32', '-c', join(home, 'work'), command);
    assert.equal(started.status, 0, started.stderr);

    const press = (key: string) => assert.equal(tmux('send-keys', '-t', 'app', key).status, 0);
    let s = await waitFor('the data step', (x) => x.includes('Classes (training set)'));
    assert.match(s, /embedded sample/);
    assert.match(s, /6,000 train \/ 1,000 test/);
    assert.match(s, /SHA-256 verified/);
    press('Enter');
    await waitFor('the model step', (x) => x.includes('Parameters 669,706'));
    press('Enter');
    await waitFor('the hyperparameters step', (x) => x.includes('ready to train'));
    press('Enter');
    s = await waitFor('the end of training', (x) => x.includes('enter: save') || x.includes('✗'), 120_000);
    assert.match(s, /training finished after 1 epoch/);
    assert.match(s, /^1\/1 +\d\.\d{6} +\d\.\d{6} +\d+\.\d%/m); // the <Static> epoch row
    // The weights reach the app a moment after the last epoch; an Enter before that asks for another
    // (under load the capture, which includes scrollback, can show the finished line first).
    for (let tries = 0; ; tries++) {
      press('Enter');
      try {
        await waitFor('the save step', (x) => x.includes('enter saves here'), 5_000);
        break;
      } catch (e) {
        if (tries >= 12 || !screen().includes('enter again in a moment')) throw e;
      }
    }
    press('Enter');
    await waitFor('saved', (x) => x.includes('saved · enter'));
    press('Enter');
    await waitFor('exported', (x) => x.includes('exported · enter'));
    press('Enter');
    s = await waitFor('the verdict', (x) => /Verdict +(PASS|FAIL)/.test(x), 120_000);
    assert.match(s, /Verdict +PASS/);
    assert.match(s, /argmax agreement 100\.00%/);
    press('Enter');
    await waitFor('the exit code', (x) => x.includes('EXIT='));
    assert.match(screen(), /EXIT=0/);
    assert.deepEqual(readdirSync(join(home, 'work', 'run')).sort(), [
      'checkpoint.ckpt',
      'confusion.png',
      'curves.png',
      'metrics.json',
      'model.onnx',
      'model.py',
      'model.safetensors',
      'verify-report.json',
    ]);
    assert.ok(existsSync(join(home, 'config', 'config.json')), 'the settings were saved');
  });
});
