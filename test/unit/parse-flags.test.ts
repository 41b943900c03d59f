import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags, parseTrainFlags } from '../../src/config/index.js';
import { UsageError } from '../../src/core/errors.js';

const options = { lr: { type: 'string' }, json: { type: 'boolean' } } as const;

function refusedInOneLine(run: () => unknown, expected: RegExp | string): void {
  assert.throws(run, (err: Error) => {
    assert.ok(err instanceof UsageError, String(err));
    assert.equal(err.exitCode, 2);
    assert.equal(err.message.split('\n').length, 1, err.message);
    if (typeof expected === 'string') assert.equal(err.message, expected);
    else assert.match(err.message, expected);
    return true;
  });
}

test('parseFlags turns every parseArgs error into one line that points at --help', () => {
  const cases: [string[], RegExp][] = [
    [['--nope'], /^Unknown option '--nope' \(see 'fmnist-tui x --help'\)$/],
    [['--lr', '-1'], /^--lr -1: write a value starting with '-' attached, as --lr=-1 \(see 'fmnist-tui x --help'\)$/],
    [['stray'], /Unexpected argument 'stray'/],
    [['--lr', '1', '--lr', '2'], /^--lr is given twice \('1', then '2'\): give it once \(see 'fmnist-tui x --help'\)$/],
    [['--json', '--json'], /^--json is given twice: give it once/],
  ];
  for (const [argv, expected] of cases) refusedInOneLine(() => parseFlags('x', argv, options), expected);
  assert.equal(parseFlags('x', ['--lr=-1'], options).values.lr, '-1');
  assert.deepEqual(parseFlags('x', ['a', '--json', 'b'], options, { positionals: true }).positionals, ['a', 'b']);
});

// HARDEN 19: values Number() would take, or take and change, are refused.
test('train flags: hex, padded, exponent-written whole numbers, repeats, huge runs and inexact seeds are refused', () => {
  const cases: [string[], string][] = [
    [['--lr', '0x10'], "--lr must be a number (got '0x10')"],
    [['--lr', 'Infinity'], "--lr must be a number (got 'Infinity')"],
    [['--epochs', ' 5'], "--epochs must be a whole number (got ' 5')"],
    [['--epochs', '1e9'], "--epochs must be a whole number (got '1e9')"],
    [['--epochs', '100000'], '--epochs 100000 is more than 10000; give fewer (a full-data epoch takes seconds)'],
    [
      ['--epochs', '5', '--epochs', '3'],
      "--epochs is given twice ('5', then '3'): give it once (see 'fmnist-tui train --help')",
    ],
    [
      ['--schedule', 'cosine', '--lr', '1e-3', '--eta-min', '0.01'],
      '--eta-min 0.01 is above the learning rate 0.001: cosine would raise it; give an --eta-min below --lr',
    ],
    [
      ['--seed', '9007199254740993'],
      "--seed must be at most 9007199254740991 (2^53 − 1) to be exact (got '9007199254740993')",
    ],
  ];
  for (const [argv, message] of cases) refusedInOneLine(() => parseTrainFlags(argv), message);
  assert.equal(parseTrainFlags(['--seed', '9007199254740991']).config.hyperparameters.seed, Number.MAX_SAFE_INTEGER);
  assert.equal(parseTrainFlags(['--lr', '.5']).config.hyperparameters.learningRate, 0.5);
  assert.equal(parseTrainFlags(['--lr', '1E-2']).config.hyperparameters.learningRate, 0.01);
});
