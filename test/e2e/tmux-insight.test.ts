// The insight views in a real 80×24 terminal (tmux on a private socket, the embedded sample,
// offline): the Train step's charts (c), the Verify step's analysis (a) and the Runs view (R),
// which lists the run this session saved beside one saved by `fmnist-tui train --save`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertFits, sessionEnv, sourceArgv, sourceCommand, tmuxServer, tmuxSkip } from './tmux-harness.js';

const app = tmuxServer('fmnist-insight');
const { waitFor } = app;

describe('insight views in tmux at 80×24', { skip: tmuxSkip }, () => {
  const home = mkdtempSync(join(tmpdir(), 'fmnist-tmux-insight-'));
  after(() => {
    app.kill();
    rmSync(home, { recursive: true, force: true });
  });

  it('charts on Train, the analysis on Verify, and the Runs view with a CLI run and this session run', async () => {
    const envVars = { ...sessionEnv(home), NO_COLOR: '1' };
    // A run saved by the CLI, beside where the session saves.
    const saved = spawnSync(
      process.execPath,
      [...sourceArgv, 'train', '--epochs', '1', '--optimizer', 'adam', '--save', 'cli-run'],
      { cwd: join(home, 'work'), encoding: 'utf8', env: { ...process.env, ...envVars } },
    );
    assert.equal(saved.status, 0, saved.stderr);

    app.start(join(home, 'work'), envVars, sourceCommand('--epochs 2 --save session-run'));
    const press = (key: string) => app.keys(key);

    await waitFor('the data step', (x) => x.includes('Classes (training set)'));
    press('Enter');
    await waitFor('the model step', (x) => x.includes('Parameters 669,706'));
    press('Enter');
    await waitFor('the hyperparameters step', (x) => x.includes('ready to train'));
    press('Enter');
    // (not '✗': the prediction thumbnails mark wrong predictions with it while training runs)
    await waitFor('the end of training', (x) => x.includes('enter: save') || x.includes('✗ training'), 120_000);
    press('c');
    let s = await waitFor('the charts', (x) => x.includes('loss/epoch'));
    assert.match(s, /loss\/epoch {2}● train loss {2}■ test loss +accuracy\/epoch {2}● test acc/);
    assert.match(s, /● batch loss over the whole run/);
    assert.match(s, /┤/);
    assertFits(s);

    press('Enter');
    await waitFor('the save step', (x) => x.includes('enter saves here'));
    press('Enter');
    await waitFor('saved', (x) => x.includes('saved · enter'));
    press('Enter');
    await waitFor('exported', (x) => x.includes('exported · enter'));
    press('Enter');
    s = await waitFor('the verdict', (x) => /Verdict +(PASS|FAIL)/.test(x), 120_000);
    press('a');
    s = await waitFor('the analysis', (x) => x.includes('Worst mistakes'), 30_000);
    assert.match(s, /^Accuracy \d+\.\d\d% · rows: true class, columns: predicted · F1/m);
    assert.match(s, /^0 T-shirt\/top +\d+/m);
    assert.match(s, /^9 Ankle boot .*\.\d\d$/m);
    assert.match(s, /Worst mistakes 1\/6 \(predicted, probability, true class\)/);
    assertFits(s);
    press(']');
    await waitFor('the next page', (x) => x.includes('Worst mistakes 2/6'));
    press('Escape');
    await waitFor('the verify step', (x) => x.includes('Verdict'));

    press('R');
    s = await waitFor('the Runs view', (x) => x.includes('Past runs in ./'), 30_000);
    assert.match(s, /Past runs in \.\/ · 2 runs/);
    assert.match(s, /cli-run +recommended|cli-run +seed/);
    assert.match(s, /session-run +seed +2 ep/);
    assert.match(s, /test accuracy {2}● cli-run {2}■ this session/);
    assertFits(s);
    press('j');
    press('Space');
    s = await waitFor('the overlay', (x) => x.includes('[●] session-run'));
    assert.match(s, /test accuracy {2}● session-run {2}■ this session/);
    press('k');
    press('Enter');
    s = await waitFor('the hyperparameters from the CLI run', (x) => x.includes('settings from cli-run'));
    assert.match(s, /adam/);
    press('q');
  });
});
