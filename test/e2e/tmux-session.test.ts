// The interactive session in a real terminal: tmux on a private socket runs `fmnist-tui` from
// the source on the embedded sample (empty cache, no system copy, offline), 1 epoch, and the
// test presses Enter through every step, reading the screen with capture-pane.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repo, sessionEnv, sourceCommand, tmuxServer, tmuxSkip } from './tmux-harness.js';

// The whole pane: the <Static> epoch rows sit above the live area.
const app = tmuxServer('fmnist-e2e', 'history');
const { waitFor } = app;

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

describe('fmnist-tui in tmux', { skip: tmuxSkip }, () => {
  const home = mkdtempSync(join(tmpdir(), 'fmnist-tmux-'));
  after(() => {
    app.kill();
    rmSync(home, { recursive: true, force: true });
  });

  it('Enter through every step on the embedded sample: trained, saved, exported, verified PASS', async () => {
    const env = { ...sessionEnv(home), NO_COLOR: '1' };
    app.start(join(home, 'work'), env, sourceCommand('--epochs 1 --save run'), 100, 32);

    const press = (key: string) => app.keys(key);
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
    await app.pressUntil('Enter', 'the save step', (x) => x.includes('enter saves here'), 'enter again in a moment');
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
    assert.match(app.screen(), /EXIT=0/);
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
