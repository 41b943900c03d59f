import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRAIN_HELP } from '../../src/commands/train-help.js';
import { parseTrainFlags, resolveHyperparameters } from '../../src/config/index.js';
import { UsageError } from '../../src/core/errors.js';
import { PRESETS } from '../../src/core/model/spec.js';
import { SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';

test("no flags: the seed program's model and hyperparameters", () => {
  const { help, config } = parseTrainFlags([]);
  assert.equal(help, false);
  assert.deepEqual(config.spec, PRESETS.seed);
  assert.deepEqual(config.hyperparameters, SEED_HYPERPARAMETERS);
  assert.equal(config.engine, 'onnx');
  assert.equal(config.json, false);
  assert.equal(config.save, undefined);
  assert.deepEqual(config.explicit, []);
});

test('flags build the model, optimizer and schedule', () => {
  const { config } = parseTrainFlags([
    '--preset',
    'recommended',
    '--optimizer',
    'adam',
    '--beta2',
    '0.99',
    '--amsgrad',
    '--shuffle',
    '--schedule',
    'cosine',
    '--eta-min',
    '1e-5',
    '--hidden',
    '256,128',
    '--activation',
    'tanh,leaky_relu',
    '--dropout',
    '0.2',
    '--loss',
    'nll',
    '--epochs',
    '3',
    '--lr',
    '3e-4',
    '--batch-size',
    '128',
    '--seed',
    '7',
  ]);
  assert.deepEqual(config.spec, {
    hidden: [
      { units: 256, activation: 'tanh', dropout: 0.2 },
      { units: 128, activation: 'leaky_relu', dropout: 0.2 },
    ],
    finalActivation: 'none',
    logSoftmax: true,
  });
  assert.deepEqual(config.hyperparameters, {
    learningRate: 3e-4,
    batchSize: 128,
    epochs: 3,
    optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, amsgrad: true },
    loss: 'nll',
    schedule: { kind: 'cosine', tMax: 0, etaMin: 1e-5 },
    shuffle: true,
    seed: 7,
  });
  assert.equal(parseTrainFlags(['--hidden', 'none']).config.spec.hidden.length, 0);
  assert.deepEqual(
    parseTrainFlags(['--optimizer', 'sgd', '--momentum', '0.9', '--nesterov']).config.hyperparameters.optimizer,
    {
      kind: 'sgd',
      momentum: 0.9,
      dampening: 0,
      nesterov: true,
      weightDecay: 0,
    },
  );
  assert.deepEqual(
    parseTrainFlags(['--optimizer', 'rmsprop', '--centered', '--alpha', '0.9']).config.hyperparameters.optimizer,
    {
      kind: 'rmsprop',
      alpha: 0.9,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: true,
    },
  );
});

test('--save with and without a folder; --json, --force, --engine, paths', () => {
  assert.equal(parseTrainFlags(['--save']).config.save, '');
  assert.equal(parseTrainFlags(['--save', '--json']).config.save, '');
  assert.equal(parseTrainFlags(['--save', 'runs/a', '--json']).config.save, 'runs/a');
  const { config } = parseTrainFlags([
    '--json',
    '--force',
    '--engine',
    'tfjs',
    '--data-dir',
    '/d',
    '--init-weights',
    'w.safetensors',
  ]);
  assert.deepEqual(
    [config.json, config.force, config.engine, config.dataDir, config.initWeights],
    [true, true, 'tfjs', '/d', 'w.safetensors'],
  );
  assert.deepEqual(parseTrainFlags(['--resume', 'c.safetensors', '--epochs', '12']).config.explicit, [
    'resume',
    'epochs',
  ]);
});

test('a step schedule counts --step-size in epochs of the data actually loaded', () => {
  const { config } = parseTrainFlags(['--schedule', 'step', '--step-size', '2', '--gamma', '0.5']);
  assert.deepEqual(config.hyperparameters.schedule, { kind: 'step', stepSize: 2 * 938, gamma: 0.5 });
  assert.deepEqual(resolveHyperparameters(config, 6000).schedule, { kind: 'step', stepSize: 2 * 94, gamma: 0.5 });
  assert.throws(
    () => resolveHyperparameters(parseTrainFlags(['--batch-size', '8000']).config, 6000),
    /^UsageError: batch size 8000 is larger than the training set \(6000 images\)$/,
  );
});

test('--help asks for help', () => {
  assert.equal(parseTrainFlags(['--help']).help, true);
  assert.equal(parseTrainFlags(['-h']).help, true);
  for (const flag of [
    '--preset',
    '--hidden',
    '--optimizer',
    '--schedule',
    '--save [DIR]',
    '--resume',
    '--json',
    'Examples',
  ])
    assert.ok(TRAIN_HELP.includes(flag), flag);
  assert.match(TRAIN_HELP, /--lr X .*\(default 0\.001\)/);
});

test('every invalid value is refused in one line (exit 2) before any work', () => {
  const cases: [string[], string][] = [
    [['--lr', '0'], 'learning rate must be a number above 0, e.g. 1e-3 (got 0)'],
    [['--lr=-1'], 'learning rate must be a number above 0, e.g. 1e-3 (got -1)'],
    [['--lr', 'abc'], "--lr must be a number (got 'abc')"],
    [['--lr', 'NaN'], "--lr must be a number (got 'NaN')"],
    [['--lr', '-1'], "--lr -1: write a value starting with '-' attached, as --lr=-1 (see 'fmnist-tui train --help')"],
    [['--lr'], "Option '--lr <value>' argument missing (see 'fmnist-tui train --help')"],
    [['--batch-size', '0'], 'batch size must be a whole number of at least 1, e.g. 64 (got 0)'],
    [['--batch-size', '60001'], 'batch size 60001 is larger than the training set (60000 images)'],
    [['--batch-size', '1.5'], "--batch-size must be a whole number (got '1.5')"],
    [['--epochs', '0'], 'epochs must be a whole number of at least 1, e.g. 10 (got 0)'],
    [['--optimizer', 'adagrad'], "--optimizer: unknown value 'adagrad' (choose sgd, adam, rmsprop, adamw)"],
    [['--loss', 'hinge'], "--loss: unknown value 'hinge' (choose cross_entropy, nll, mse)"],
    [['--activation', 'gelu'], "--activation: unknown value 'gelu' (choose relu, tanh, sigmoid, leaky_relu, none)"],
    [
      ['--final-activation', 'softmax'],
      "--final-activation: unknown value 'softmax' (choose relu, tanh, sigmoid, leaky_relu, none)",
    ],
    [
      ['--hidden', '512,0'],
      '--hidden: a layer size must be at least 1 (got 0); use --hidden none for no hidden layers',
    ],
    [['--hidden', '512,,3'], "--hidden: empty item in '512,,3' (write e.g. 512,512)"],
    [['--hidden', '9000'], 'hidden layer 1: size must be a whole number from 1 to 8192 (got 9000)'],
    [['--dropout', '1'], 'hidden layer 1: dropout must be at least 0 and below 1 (got 1)'],
    [
      ['--dropout', '0.1,0.2,0.3'],
      '--dropout has 3 values but there are 2 hidden layers (give one value, or one per layer)',
    ],
    [
      ['--beta1', '0.8'],
      "--beta1 applies to adam and adamw, not sgd (choose one with --optimizer) (see 'fmnist-tui train --help')",
    ],
    [
      ['--optimizer', 'adam', '--momentum', '0.9'],
      "--momentum applies to sgd and rmsprop, not adam (choose one with --optimizer) (see 'fmnist-tui train --help')",
    ],
    [['--momentum', '1'], 'momentum must be between 0 and 1 (exclusive) (got 1)'],
    [['--nesterov'], 'nesterov needs a momentum above 0 and zero dampening (as in torch.optim.SGD)'],
    [['--optimizer', 'adam', '--eps', '0'], 'eps must be above 0 (got 0)'],
    [['--schedule', 'linear'], "--schedule: unknown value 'linear' (choose constant, step, cosine, onecycle)"],
    [['--gamma', '0.5'], "--gamma applies to --schedule step, not constant (see 'fmnist-tui train --help')"],
    [['--schedule', 'step', '--step-size', '0'], '--step-size must be a whole number of epochs of at least 1 (got 0)'],
    [['--seed=-3'], 'seed must be a whole number of at least 0 (got -3)'],
    [['--engine', 'torch'], "--engine: unknown value 'torch' (choose onnx, tfjs)"],
    [['--preset', 'big'], "--preset: unknown value 'big' (choose seed, recommended, cnn, best)"],
    [['--frobnicate'], "Unknown option '--frobnicate' (see 'fmnist-tui train --help')"],
    [['--data-dir', ''], "--data-dir needs a path (see 'fmnist-tui train --help')"],
    [
      ['--resume', 'a', '--init-weights', 'b'],
      '--resume and --init-weights both set the starting weights; give one of them',
    ],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseTrainFlags(argv),
      (err: Error) => {
        assert.ok(err instanceof UsageError, `${argv.join(' ')}: ${err}`);
        assert.equal(err.exitCode, 2);
        assert.equal(err.message, message, argv.join(' '));
        assert.ok(!err.message.includes('\n'));
        return true;
      },
    );
  }
});
