// Issue 13 item 10 in a real terminal at 80×24: a --layers string pasted in one chunk on the Model
// step, a long list scrolled, an invalid list shown and refused, the layer picker, and the edited
// list is what trains (the Train header says it) and what the run folder's model.py holds.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertFits, sessionEnv, sourceCommand, tmuxServer, tmuxSkip } from './tmux-harness.js';

const app = tmuxServer('fmnist-layers');
const { keys, literal, waitFor } = app;

describe('the layer-list editor in tmux at 80×24', { skip: tmuxSkip }, () => {
  const home = mkdtempSync(join(tmpdir(), 'fmnist-layers-'));
  after(() => {
    app.kill();
    rmSync(home, { recursive: true, force: true });
  });

  it('paste, scroll, an invalid list refused, the picker, then the edited list trains and is saved', async () => {
    app.start(join(home, 'work'), { ...sessionEnv(home), NO_COLOR: '1' }, sourceCommand('--epochs 1 --save run'));

    await waitFor('the data step', (s) => s.includes('Classes (training set)'));
    keys('Enter');
    await waitFor('the model step', (s) => s.includes('Parameters 669,706'));

    // A long list pasted in one chunk (with its enter): 19 layers in 13 lines scroll.
    keys('l');
    await waitFor('the list typed out', (s) => s.includes('layers: Flatten Linear(512) ReLU'));
    literal(`${'Conv2d(4,3,padding=1) ReLU '.repeat(8)}MaxPool2d(2) Flatten Linear(10)\r`);
    let s = await waitFor('the long list', (x) => x.includes('↓ 7 more'));
    assert.match(s, /^› +0 +Conv2d\(4,3,padding=1\) +\[4, 28, 28\] +40 +28,224$/m);
    literal('j'.repeat(18)); // keys repeated fast: every one counts
    s = await waitFor('the end of the list', (x) => /^› 18 +Linear\(10\)/m.test(x));
    assert.match(s, /↑ 7 more/);
    assert.doesNotMatch(s, /↓ \d+ more/);
    assertFits(s);

    // A short list instead; Flatten removed: the Linear after it breaks the list, enter refuses.
    keys('l');
    literal('Conv2d(4,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(10)\r');
    s = await waitFor('the short list', (x) => x.includes('Parameters 7,890'));
    assert.match(s, /^› +4 +Linear\(10\)/m); // the selection stays as far down as the list goes
    keys('k');
    keys('d');
    s = await waitFor('the problem', (x) => x.includes('✗ #3 Linear(10): Linear needs a flat input'));
    assert.match(s, /^›✗ 3 +Linear\(10\)$/m); // marked, selected, no shape
    keys('Enter');
    await waitFor('the refusal', (x) => x.includes('fix the model first: #3 Linear(10)'));
    // The picker: a after #2, f jumps to Flatten, enter adds it.
    keys('k');
    keys('a');
    await waitFor('the picker', (x) => x.includes('Add MaxPool2d(2) after #2 MaxPool2d(2)'));
    literal('f');
    await waitFor('Flatten chosen', (x) => x.includes('Add Flatten after #2'));
    keys('Enter');
    await waitFor('the list fixed', (x) => x.includes('Parameters 7,890'));

    keys('Enter');
    await waitFor('the hyperparameters step', (x) => x.includes('ready to train'));
    keys('Enter');
    s = await waitFor('the end of training', (x) => x.includes('training finished'), 120_000);
    assert.match(s, /^model Conv2d\(4,3,padding=1\) ReLU MaxPool2d\(2\) … · 5 layers · 7,890 params$/m);
    await app.pressUntil('Enter', 'the save step', (x) => x.includes('enter saves here'), 'enter again in a moment');
    keys('Enter');
    await waitFor('saved', (x) => x.includes('saved · enter'));
    const modelPy = readFileSync(join(home, 'work', 'run', 'model.py'), 'utf8');
    assert.match(modelPy, /nn\.Conv2d\(1, 4, kernel_size=3, padding=1\),\s+# 0/);
    assert.match(modelPy, /nn\.Flatten\(\),\s+# 3/);
    assert.match(modelPy, /nn\.Linear\(784, 10\),\s+# 4/);
    keys('q');
    await waitFor('the exit', (x) => x.includes('EXIT='));
    assert.match(app.visible(), /EXIT=0/);
  });
});
