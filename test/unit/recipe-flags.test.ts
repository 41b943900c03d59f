// The training-recipe flags: what each sets, and the one-line refusal of each bad value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrainFlags, resolveHyperparameters } from '../../src/config/index.js';
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

test('--schedule onecycle and --warmup-epochs (whole steps of the data loaded)', () => {
  assert.deepEqual(parseTrainFlags(['--schedule', 'onecycle']).config.hyperparameters.schedule, { kind: 'onecycle' });
  const { config } = parseTrainFlags(['--schedule', 'cosine', '--warmup-epochs', '1.5']);
  assert.deepEqual(config.hyperparameters.schedule, { kind: 'cosine', tMax: 0, etaMin: 0, warmupSteps: 1407 });
  assert.deepEqual(resolveHyperparameters(config, 6000).schedule, {
    kind: 'cosine',
    tMax: 0,
    etaMin: 0,
    warmupSteps: 141,
  });
  assert.deepEqual(parseTrainFlags(['--warmup-epochs', '2']).config.hyperparameters.schedule, {
    kind: 'constant',
    warmupSteps: 1876,
  });
});

test('bad schedule values are refused in one line (exit 2)', () => {
  refusals([
    [
      ['--schedule', 'onecycle', '--warmup-epochs', '1'],
      "--warmup-epochs does not apply to --schedule onecycle (it warms up itself) (see 'fmnist-tui train --help')",
    ],
    [['--warmup-epochs', '10'], '--warmup-epochs must be at least 0 and fewer than --epochs 10 (got 10)'],
    [['--warmup-epochs=-1'], '--warmup-epochs must be at least 0 and fewer than --epochs 10 (got -1)'],
    [
      ['--schedule', 'onecycle', '--eta-min', '0'],
      "--eta-min applies to --schedule cosine, not onecycle (see 'fmnist-tui train --help')",
    ],
  ]);
});

test('--val, --early-stop and --monitor; --val counts against the training set of the data loaded', () => {
  const { config } = parseTrainFlags([
    '--val',
    '5000',
    '--early-stop',
    '3',
    '--monitor',
    'accuracy',
    '--warmup-epochs',
    '1',
  ]);
  assert.equal(config.hyperparameters.validation, 5000);
  assert.deepEqual(config.hyperparameters.earlyStop, { patience: 3, monitor: 'accuracy' });
  assert.equal(config.exportWeights, 'best');
  // One warm-up epoch is an epoch of the 55,000 images left: 860 steps of 64.
  assert.equal((resolveHyperparameters(config, 60000).schedule as { warmupSteps: number }).warmupSteps, 860);
  assert.equal(parseTrainFlags(['--early-stop', '2', '--save', 'x', '--export', 'last']).config.exportWeights, 'last');
  refusals([
    [['--val', '60000'], '--val 60000 leaves nothing to train on (the training set has 60000 images)'],
    [['--val', '9'], 'the validation split must be a whole number of at least 10 images, one per class (got 9)'],
    [['--early-stop', '0'], 'early-stop patience must be a whole number of epochs of at least 1 (got 0)'],
    [
      ['--monitor', 'accuracy'],
      "--monitor chooses what --early-stop watches; give --early-stop PATIENCE too (see 'fmnist-tui train --help')",
    ],
    [['--early-stop', '2', '--monitor', 'f1'], "--monitor: unknown value 'f1' (choose loss, accuracy)"],
    [
      ['--early-stop', '2', '--export', 'last'],
      "--export chooses the best or last epoch's weights for --save with --early-stop (see 'fmnist-tui train --help')",
    ],
  ]);
});

test('--augment sets the training-time augmentation; none leaves the hyperparameters without it', () => {
  assert.deepEqual(parseTrainFlags(['--augment', 'flip,crop:2,erase']).config.hyperparameters.augment, {
    flip: true,
    crop: 2,
    erase: true,
  });
  assert.equal(parseTrainFlags(['--augment', 'none']).config.hyperparameters.augment, undefined);
  refusals([
    [['--augment', 'crop:9'], '--augment crop:9: the padding must be a whole number from 1 to 8 pixels, e.g. crop:2'],
  ]);
});
