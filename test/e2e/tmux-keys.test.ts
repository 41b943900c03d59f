// Issue 11 in a real terminal: keys sent together (tmux send-keys -l) each count, a pasted value is
// set, a resize mid-run leaves one step bar, q after training asks first, and LANG=C draws only ASCII.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmuxMissing = spawnSync('tmux', ['-V']).error !== undefined;
const socket = `fmnist-keys-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const visible = () => tmux('capture-pane', '-p', '-t', 'app').stdout;
const history = () => tmux('capture-pane', '-p', '-J', '-S', '-300', '-t', 'app').stdout;

async function waitFor(what: string, predicate: (s: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const s = visible();
    if (predicate(s)) return s;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; the screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function start(home: string, extraEnv: string[], args: string): void {
  for (const d of ['cache', 'system', 'config', 'work']) mkdirSync(join(home, d), { recursive: true });
  const env = [
    'CI=0',
    `TSX_TSCONFIG_PATH=${join(repo, 'tsconfig.json')}`,
    `FMNIST_CACHE_DIR=${join(home, 'cache')}`,
    `FMNIST_SYSTEM_DIR=${join(home, 'system')}`,
    'FMNIST_OFFLINE=1',
    `FMNIST_CONFIG_DIR=${join(home, 'config')}`,
    ...extraEnv,
  ];
  const loader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
  const cli = join(repo, 'src/cli.tsx');
  const command = `env ${env.map(sh).join(' ')} ${sh(process.execPath)} --import ${sh(loader)} ${sh(cli)} ${args}; echo "EXIT=$?"; sleep 60`;
  const r = tmux('new-session', '-d', '-s', 'app', '-x', '80', '-y', '24', '-c', join(home, 'work'), command);
  assert.equal(r.status, 0, r.stderr);
}
const keys = (...k: string[]) => assert.equal(tmux('send-keys', '-t', 'app', ...k).status, 0);
const literal = (text: string) => assert.equal(tmux('send-keys', '-t', 'app', '-l', text).status, 0);

describe('the session in tmux at 80×24 (issue 11)', { skip: tmuxMissing ? 'tmux is not installed' : false }, () => {
  const home = mkdtempSync(join(tmpdir(), 'fmnist-keys-'));
  after(() => {
    tmux('kill-server');
    rmSync(home, { recursive: true, force: true });
  });

  it('keys sent together count, a paste sets a value, a resize leaves one step bar, q asks, LANG=C is ASCII', async () => {
    start(home, ['LANG=C', 'LC_ALL=C'], '--epochs 2');
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
    tmux('resize-window', '-t', 'app', '-x', '60', '-y', '20');
    await new Promise((r) => setTimeout(r, 1000));
    let s = await waitFor('the end of training', (x) => x.includes('training finished'), 120_000);
    assert.equal((s.match(/fmnist-tui |step 4\/7/g) ?? []).length, 1, `one step bar on screen:\n${s}`);
    assert.match(history(), /^[\x00-\x7f]*$/, 'LANG=C: only ASCII, history included');
    keys('q');
    await waitFor('the question', (x) => x.includes('not saved') && x.includes('Quit anyway? (y/n)'));
    keys('y');
    s = await waitFor('the exit', (x) => x.includes('EXIT='));
    assert.match(s, /EXIT=0/);
  });
});
