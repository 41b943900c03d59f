// `fmnist-tui train` refusing bad input: one line on stderr, the right exit code, nothing trained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const sample = join(root, 'assets/fashion-mnist-sample');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', 'train', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FMNIST_OFFLINE: '1' },
    timeout: 60_000,
  });

test('train --help teaches the flags with defaults and examples', () => {
  const r = cli('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Usage\n {2}\$ fmnist-tui train \[flags\]/m);
  assert.match(r.stdout, /--lr X .*\(default 0\.001\)/);
  assert.match(r.stdout, /^Examples/m);
});

test('bad input is refused in one line with its exit code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-train-cli-'));
  const garbage = join(dir, 'garbage.safetensors');
  writeFileSync(garbage, 'not a safetensors file');
  const cases: [string[], number, RegExp][] = [
    [['--lr', '0'], 2, /^fmnist-tui: learning rate must be a number above 0, e\.g\. 1e-3 \(got 0\)$/],
    [
      ['--optimizer', 'adagrad'],
      2,
      /^fmnist-tui: --optimizer: unknown value 'adagrad' \(choose sgd, adam, rmsprop, adamw\)$/,
    ],
    [['--hidden', '0'], 2, /^fmnist-tui: --hidden: a layer size must be at least 1 \(got 0\)/],
    [['--epochs', '0'], 2, /^fmnist-tui: epochs must be a whole number of at least 1/],
    [['--bogus'], 2, /^fmnist-tui: Unknown option '--bogus' \(see 'fmnist-tui train --help'\)$/],
    [
      ['--data-dir', sample, '--batch-size', '6001'],
      2,
      /^fmnist-tui: batch size 6001 is larger than the training set \(6000 images\)$/,
    ],
    [['--resume', join(dir, 'missing.safetensors')], 1, /missing\.safetensors/],
    [
      ['--resume', garbage, '--lr', '0.1'],
      2,
      /^fmnist-tui: --lr cannot change when resuming: the checkpoint holds the model and hyperparameters/,
    ],
    [['--resume', garbage], 1, /garbage\.safetensors/],
    [['--init-weights', garbage], 1, /garbage\.safetensors/],
    [['--data-dir', join(dir, 'nowhere')], 1, /nowhere/],
  ];
  for (const [args, code, message] of cases) {
    const r = cli(...args);
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.trim(), message, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
});
