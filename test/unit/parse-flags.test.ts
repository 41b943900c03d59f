import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from '../../src/commands/context.js';

const options = { lr: { type: 'string' }, json: { type: 'boolean' } } as const;

test('parseFlags turns every parseArgs error into one line that points at --help', () => {
  const cases: [string[], RegExp][] = [
    [['--nope'], /^Unknown option '--nope' \(see 'fmnist-tui x --help'\)$/],
    [
      ['--lr', '-1'],
      /^Option '--lr' argument is ambiguous \(write negative values as --lr=-XYZ\) \(see 'fmnist-tui x --help'\)$/,
    ],
    [['stray'], /Unexpected argument 'stray'/],
  ];
  for (const [argv, expected] of cases) {
    assert.throws(
      () => parseFlags('x', argv, options),
      (err: Error) => {
        assert.equal(err.message.split('\n').length, 1, err.message);
        assert.match(err.message, expected);
        return true;
      },
    );
  }
  assert.equal(parseFlags('x', ['--lr=-1'], options).values.lr, '-1');
});
