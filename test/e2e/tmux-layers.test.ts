// Issue 13 item 10 in a real terminal at 80×24: a --layers string pasted in one chunk on the Model
// step, a long list scrolled, an invalid list shown and refused, the layer picker, and the edited
// list is what trains (the Train header says it) and what the run folder's model.py holds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmuxMissing = spawnSync('tmux', ['-V']).error !== undefined;
const socket = `fmnist-layers-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const visible = () => tmux('capture-pane', '-p', '-t', 'app').stdout;
const keys = (...k: string[]) => assert.equal(tmux('send-keys', '-t', 'app', ...k).status, 0);
const literal = (text: string) => assert.equal(tmux('send-keys', '-t', 'app', '-l', text).status, 0);

async function waitFor(what: string, predicate: (s: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const s = visible();
    if (predicate(s)) return s;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; the screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the layer-list editor in tmux at 80×24', { skip: tmuxMissing ? 'tmux is not installed' : false }, () => {
  const home = mkdtempSync(join(tmpdir(), 'fmnist-layers-'));
  after(() => {
    tmux('kill-server');
    rmSync(home, { recursive: true, force: true });
  });

  it('paste, scroll, an invalid list refused, the picker, then the edited list trains and is saved', async () => {
    for (const d of ['cache', 'system', 'config', 'work']) mkdirSync(join(home, d));
    const env = [
      'CI=0',
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
    const started = tmux('new-session', '-d', '-s', 'app', '-x', '80', '-y', '24', '-c', join(home, 'work'), command);
    assert.equal(started.status, 0, started.stderr);

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
    for (const l of s.trimEnd().split('\n')) assert.ok([...l].length <= 80, l);

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
    for (let tries = 0; ; tries++) {
      keys('Enter');
      try {
        await waitFor('the save step', (x) => x.includes('enter saves here'), 5_000);
        break;
      } catch (e) {
        if (tries >= 12 || !visible().includes('enter again in a moment')) throw e;
      }
    }
    keys('Enter');
    await waitFor('saved', (x) => x.includes('saved · enter'));
    const modelPy = readFileSync(join(home, 'work', 'run', 'model.py'), 'utf8');
    assert.match(modelPy, /nn\.Conv2d\(1, 4, kernel_size=3, padding=1\),\s+# 0/);
    assert.match(modelPy, /nn\.Flatten\(\),\s+# 3/);
    assert.match(modelPy, /nn\.Linear\(784, 10\),\s+# 4/);
    keys('q');
    await waitFor('the exit', (x) => x.includes('EXIT='));
    assert.match(visible(), /EXIT=0/);
  });
});
