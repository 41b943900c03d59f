// The harness of the tmux end-to-end tests: the app runs in a real terminal (a tmux server on a
// private socket), the test sends it keys and reads its screen with capture-pane.
import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repo = fileURLToPath(new URL('../..', import.meta.url));

/** The `skip` option of a tmux test: the reason it cannot run here, or false. */
export const tmuxSkip: string | false =
  spawnSync('tmux', ['-V']).error !== undefined ? 'tmux is not installed (CI installs it)' : false;

/** `s` as one single-quoted shell word. */
export const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface TmuxServer {
  /** A tmux command on this server's socket. */
  tmux(...args: string[]): SpawnSyncReturns<string>;
  /**
   * Runs `program` (a shell command line) with `env` in session `app` of `width`×`height`; when it
   * ends the pane shows `EXIT=<code>` for a minute.
   */
  start(cwd: string, env: Record<string, string>, program: string, width?: number, height?: number): void;
  /** The visible screen. */
  visible(): string;
  /** The whole pane with what scrolled off (the <Static> epoch rows sit above the live area). */
  history(): string;
  /** What `waitFor` reads: the visible screen or the whole history, as the server was made. */
  screen(): string;
  /** Named keys (`Enter`, `Escape`, `Space`) or characters, each sent as its own key. */
  keys(...names: string[]): void;
  /** Text sent as one chunk, as a paste or fast typing arrives. */
  literal(text: string): void;
  /** The screen once `predicate` holds; throws with the screen after `timeoutMs`. */
  waitFor(what: string, predicate: (s: string) => boolean, timeoutMs?: number): Promise<string>;
  /**
   * Presses `key` until `predicate` holds, again while the screen shows `busy` (the app asks for the
   * key again in a moment), at most 13 times, 5 s each.
   */
  pressUntil(key: string, what: string, predicate: (s: string) => boolean, busy: string): Promise<string>;
  kill(): void;
}

/** A tmux server on socket `<name>-<pid>`; `read` is what `waitFor` and `screen` read. */
export function tmuxServer(name: string, read: 'visible' | 'history' = 'visible'): TmuxServer {
  const socket = `${name}-${process.pid}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const visible = () => tmux('capture-pane', '-p', '-t', 'app').stdout;
  const history = () => tmux('capture-pane', '-p', '-J', '-S', '-300', '-t', 'app').stdout;
  const screen = read === 'visible' ? visible : history;
  async function waitFor(what: string, predicate: (s: string) => boolean, timeoutMs = 60_000): Promise<string> {
    const start = Date.now();
    for (;;) {
      const s = screen();
      if (predicate(s)) return s;
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const keys = (...names: string[]) => assert.equal(tmux('send-keys', '-t', 'app', ...names).status, 0);
  return {
    tmux,
    start(cwd, env, program, width = 80, height = 24) {
      const vars = Object.entries(env).map(([k, v]) => sh(`${k}=${v}`));
      const command = `env ${vars.join(' ')} ${program}; echo "EXIT=$?"; sleep 60`;
      const r = tmux('new-session', '-d', '-s', 'app', '-x', String(width), '-y', String(height), '-c', cwd, command);
      assert.equal(r.status, 0, r.stderr);
    },
    visible,
    history,
    screen,
    keys,
    literal: (text) => assert.equal(tmux('send-keys', '-t', 'app', '-l', text).status, 0),
    waitFor,
    async pressUntil(key, what, predicate, busy) {
      for (let tries = 0; ; tries++) {
        keys(key);
        try {
          return await waitFor(what, predicate, 5_000);
        } catch (e) {
          if (tries >= 12 || !screen().includes(busy)) throw e;
        }
      }
    },
    kill: () => void tmux('kill-server'),
  };
}

/**
 * Makes the session's folders under `home` (cache, system, config, work) and returns the env that
 * runs the app from the source on them: the embedded sample (empty cache, no system copy), offline.
 */
export function sessionEnv(home: string): Record<string, string> {
  for (const d of ['cache', 'system', 'config', 'work']) mkdirSync(join(home, d), { recursive: true });
  return {
    CI: '0', // Ink draws nothing live when it thinks it is in CI
    TSX_TSCONFIG_PATH: join(repo, 'tsconfig.json'),
    FMNIST_CACHE_DIR: join(home, 'cache'),
    FMNIST_SYSTEM_DIR: join(home, 'system'),
    FMNIST_OFFLINE: '1',
    FMNIST_CONFIG_DIR: join(home, 'config'),
  };
}

const loader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
/** Node's arguments that run the CLI from the source through tsx, before the CLI's own. */
export const sourceArgv = ['--import', loader, join(repo, 'src/cli.tsx')];

/** The command line that runs `fmnist-tui <args>` from the source (`args` as shell words). */
export const sourceCommand = (args: string) => `${[process.execPath, ...sourceArgv].map(sh).join(' ')} ${args}`;

/** Every line of a captured screen fits 80×24. */
export function assertFits(s: string) {
  const lines = s.replace(/\n+$/, '').split('\n');
  assert.ok(lines.length <= 24, `${lines.length} lines`);
  for (const l of lines) assert.ok([...l].length <= 80, l);
}
