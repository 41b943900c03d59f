// The training-recipe flags: what each sets, and the one-line refusal of each bad value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrainFlags } from '../../src/commands/train-flags.js';
import { UsageError } from '../../src/core/errors.js';
import { SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';

test('--label-smoothing sets the cross-entropy target smoothing; without it the seed hyperparameters are unchanged', () => {
  assert.equal(parseTrainFlags(['--label-smoothing', '0.1']).config.hyperparameters.labelSmoothing, 0.1);
  assert.deepEqual(parseTrainFlags([]).config.hyperparameters, SEED_HYPERPARAMETERS);
});

function refusals(cases: [string[], string][]): void {
  for (const [argv, message] of cases)
    assert.throws(
      () => parseTrainFlags(argv),
      (err: Error) => {
        assert.ok(err instanceof UsageError, `${argv.join(' ')}: ${err}`);
        assert.equal(err.exitCode, 2);
        assert.equal(err.message, message, argv.join(' '));
        return true;
      },
    );
}

test('bad recipe values are refused in one line (exit 2)', () => {
  refusals([
    [['--label-smoothing', '1.5'], 'label smoothing must be between 0 and 1, e.g. 0.1 (got 1.5)'],
    [['--label-smoothing', 'x'], "--label-smoothing must be a number (got 'x')"],
    [
      ['--label-smoothing', '0.1', '--loss', 'mse'],
      'label smoothing applies to the cross_entropy loss, not mse (as in torch)',
    ],
  ]);
});
