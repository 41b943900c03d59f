import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrainFlags } from '../../src/config/index.js';
import { formatLayers } from '../../src/core/model/layers.js';
import { PRESETS } from '../../src/core/model/spec.js';

const layersOf = (argv: string[]) => formatLayers(parseTrainFlags(argv).config.spec.layers ?? []);

test('--layers builds a layer-list model; the MLP presets keep their form', () => {
  assert.equal(layersOf(['--layers', 'Conv2d(8,3) ReLU Flatten Linear(10)']), 'Conv2d(8,3) ReLU Flatten Linear(10)');
  assert.equal(parseTrainFlags(['--preset', 'recommended']).config.spec.layers, undefined);
  assert.deepEqual(parseTrainFlags(['--preset', 'cnn']).config.spec, PRESETS.cnn);
});

test('--preset cnn brings its own training settings; explicit flags win', () => {
  const hp = parseTrainFlags(['--preset', 'cnn']).config.hyperparameters;
  assert.equal(hp.optimizer.kind, 'adam');
  assert.equal(hp.schedule.kind, 'cosine');
  assert.equal(hp.shuffle, true);
  assert.equal(hp.learningRate, 2e-3);
  assert.equal(hp.batchSize, 128);
  assert.equal(hp.epochs, 8);
  const mine = parseTrainFlags(['--preset', 'cnn', '--optimizer', 'sgd', '--lr', '0.05', '--epochs', '2']).config;
  assert.equal(mine.hyperparameters.optimizer.kind, 'sgd');
  assert.equal(mine.hyperparameters.learningRate, 0.05);
  assert.equal(mine.hyperparameters.epochs, 2);
  // The seed preset's defaults are untouched.
  assert.equal(parseTrainFlags([]).config.hyperparameters.optimizer.kind, 'sgd');
});

test('--preset best brings its recipe (AdamW, one-cycle, label smoothing, augmentation); flags win', () => {
  const hp = parseTrainFlags(['--preset', 'best']).config.hyperparameters;
  assert.equal(hp.optimizer.kind, 'adamw');
  assert.equal(hp.schedule.kind, 'onecycle');
  assert.equal(hp.labelSmoothing, 0.1);
  assert.deepEqual(hp.augment, { flip: true, crop: 2, erase: false });
  assert.equal(hp.shuffle, true);
  const mine = parseTrainFlags([
    '--preset',
    'best',
    '--augment',
    'none',
    '--label-smoothing',
    '0',
    '--optimizer',
    'adam',
  ]).config.hyperparameters;
  assert.equal(mine.augment, undefined);
  assert.equal(mine.labelSmoothing, undefined);
  assert.equal(mine.optimizer.kind, 'adam');
  assert.equal(mine.optimizer.weightDecay, 0);
  // Another preset, or none, brings none of it.
  assert.equal(parseTrainFlags(['--preset', 'cnn']).config.hyperparameters.augment, undefined);
  assert.equal(parseTrainFlags([]).config.hyperparameters.labelSmoothing, undefined);
});

test('--loss nll: a preset gets LogSoftmax appended, --layers must end with it', () => {
  assert.equal(layersOf(['--preset', 'cnn', '--loss', 'nll']).split(' ').at(-1), 'LogSoftmax');
  assert.throws(
    () => parseTrainFlags(['--layers', 'Flatten Linear(10)', '--loss', 'nll']),
    /--loss nll expects log-probabilities: end --layers with LogSoftmax/,
  );
  assert.equal(
    layersOf(['--layers', 'Flatten Linear(10) LogSoftmax', '--loss', 'nll']),
    'Flatten Linear(10) LogSoftmax',
  );
});

test('bad --layers and conflicting model flags: one usage error, exit 2', () => {
  const cases: [string[], RegExp][] = [
    [
      ['--layers', 'Flatten Conv2d(8,3) Linear(10)'],
      /^--layers: layer 2 \(Conv2d\(8,3\)\): Conv2d needs an image input/,
    ],
    [
      ['--layers', 'Conv2d(8,3) Flatten Linear(12)'],
      /^--layers: layer 3 \(Linear\(12\)\): the model must end with 10 outputs/,
    ],
    [['--layers', 'Flatten Linear(10)', '--hidden', '64'], /--hidden shapes the MLP form; --layers is a layer list/],
    [['--preset', 'cnn', '--dropout', '0.2'], /--dropout shapes the MLP form; --preset cnn is a layer list/],
    [['--preset', 'cnn', '--layers', 'Flatten Linear(10)'], /--layers and --preset both set the model/],
  ];
  for (const [argv, message] of cases)
    assert.throws(
      () => parseTrainFlags(argv),
      (err: Error & { exitCode?: number }) => {
        assert.match(err.message, message, argv.join(' '));
        assert.equal(err.exitCode, 2);
        return true;
      },
    );
});
