// Issue 11 in a real terminal: keys sent together (tmux send-keys -l) each count, a pasted value is
// set, a resize mid-run leaves one step bar, q after training asks first, and LANG=C draws only ASCII.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sessionEnv, sourceCommand, tmuxServer, tmuxSkip } from './tmux-harness.js';

const app = tmuxServer('fmnist-keys');
const { keys, literal, waitFor } = app;

describe('the session in tmux at 80×24 (issue 11)', { skip: tmuxSkip }, () => {
  const home = mkdtempSync(join(tmpdir(), 'fmnist-keys-'));
  after(() => {
    app.kill();
    rmSync(home, { recursive: true, force: true });
  });

  it('keys sent together count, a paste sets a value, a resize leaves one step bar, q asks, LANG=C is ASCII', async () => {
    app.start(join(home, 'work'), { ...sessionEnv(home), LANG: 'C', LC_ALL: 'C' }, sourceCommand('--epochs 2'));
    await waitFor('the data step', (s) => s.includes('Classes (training set)'));
    keys('Enter');
    await waitFor('the model step', (s) => s.includes('Parameters 669,706'));
    keys('Enter');
    await waitFor('the hyperparameters step', (s) => s.includes('ready to train'));
    literal('jjj'); // one chunk
    await waitFor('three rows down', (s) => /^> optimizer/m.test(s));
    literal('kkke');
    literal('0.05\r'); // a pasted value with its enter
    await waitFor('the pasted learning rate', (s) => /^> learning rate +< 0\.05 >/m.test(s));
    keys('Enter');
    await waitFor('training', (s) => s.includes('loss  raw'));
    app.tmux('resize-window', '-t', 'app', '-x', '60', '-y', '20');
    await new Promise((r) => setTimeout(r, 1000));
    let s = await waitFor('the end of training', (x) => x.includes('training finished'), 120_000);
    assert.equal((s.match(/fmnist-tui |step 4\/7/g) ?? []).length, 1, `one step bar on screen:\n${s}`);
    assert.match(app.history(), /^[\x00-\x7f]*$/, 'LANG=C: only ASCII, history included');
    keys('q');
    await waitFor('the question', (x) => x.includes('not saved') && x.includes('Quit anyway? (y/n)'));
    keys('y');
    s = await waitFor('the exit', (x) => x.includes('EXIT='));
    assert.match(s, /EXIT=0/);
  });
});
