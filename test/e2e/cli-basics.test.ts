import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url).pathname;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

test('--help teaches the commands and --version prints the package version', () => {
  const help = cli('--help');
  assert.equal(help.status, 0);
  for (const c of ['data', 'train', 'tune', 'export', 'verify', 'predict', 'config'])
    assert.match(help.stdout, new RegExp(`^  ${c} `, 'm'));
  const version = (JSON.parse(readFileSync(new URL('package.json', `file://${root}`), 'utf8')) as { version: string })
    .version;
  assert.equal(cli('--version').stdout.trim(), version);
});

test('an unknown command is one line on stderr, exit 2, no stack trace', () => {
  const r = cli('frobnicate');
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^fmnist-tui: unknown command 'frobnicate'/);
});

test('no subcommand without a TTY points to the subcommands and exits 2', () => {
  const r = cli();
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /fmnist-tui: /);
});

test('every --help fits an 80-column terminal', async () => {
  const { main } = await import('../../src/cli.js');
  for (const args of [
    [],
    ['train'],
    ['tune'],
    ['export'],
    ['verify'],
    ['predict'],
    ['config'],
    ['data'],
    ['analyze'],
    ['runs'],
    ['data', 'download'],
  ]) {
    let text = '';
    const stdout = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
    assert.equal(await main([...args, '--help'], { stdout, stderr: stdout, env: {}, debug: false }), 0);
    const wide = text.split('\n').filter((line) => [...line].length > 80);
    assert.deepEqual(wide, [], `fmnist-tui ${args.join(' ')} --help`);
  }
});
