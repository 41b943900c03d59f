import { ENGINE_NAMES } from '../core/train/engine.js';
import { OPTIMIZERS } from '../core/train/hyperparameters.js';
import { DEFAULT_BUDGET } from '../core/tune/halving.js';
import { formatLearningRate } from '../core/format.js';
import { DEFAULT_SEARCH_SPACE } from '../core/tune/search-space.js';
import { LR_FINDER_DEFAULTS } from '../tune/lr-finder.js';

import { DEFAULT_FINAL_EPOCHS } from '../config/tune-flags.js';

/** One help row: flag, then the description and [default] wrapped to 80 columns. */
function row(flag: string, text: string, fallback?: string): string {
  const indent = 26;
  const lines = [`  ${flag.padEnd(indent - 2)}`];
  for (const word of `${text}${fallback === undefined ? '' : ` [${fallback}]`}`.split(' ')) {
    const line = lines[lines.length - 1];
    if (line.length > indent && line.length + 1 + word.length > 80) lines.push(`${' '.repeat(indent)}${word}`);
    else lines[lines.length - 1] = line.length > indent ? `${line} ${word}` : line + word;
  }
  return lines.join('\n');
}
const lrDefaults = OPTIMIZERS.map(
  (o) =>
    `${o} ${formatLearningRate(DEFAULT_SEARCH_SPACE.learningRates[o].min)}–${formatLearningRate(DEFAULT_SEARCH_SPACE.learningRates[o].max)}`,
).join(', ');

export const TUNE_HELP = `Find a learning rate, or search for good hyperparameters, on Fashion-MNIST.

Usage
  $ fmnist-tui tune [search flags]           budgeted search; prints the best as
                                             'fmnist-tui train' flags
  $ fmnist-tui tune --lr-find [train flags]  learning-rate range test: a plot
                                             and a suggestion

Search (random or grid, with successive halving)
${[
  row('--trials N', 'configurations to try (random mode)', String(DEFAULT_BUDGET.trials)),
  row('--epochs N', 'epochs the surviving trials reach', String(DEFAULT_BUDGET.epochs)),
  row('--eta N', 'keep the best 1/N of the trials after each rung (1, N, N², … epochs)', String(DEFAULT_BUDGET.eta)),
  row('--no-halving', 'train every trial for all --epochs'),
  row('--subset N', 'train on a class-balanced, seeded subset of N training images', 'all'),
  row('--holdout N', 'score trials on N held-out training images (balanced, seeded), not the test set', 'test set'),
  row('--mode NAME', 'random or grid', 'random'),
  row(
    '--grid-lrs N',
    'grid mode: learning rates per optimizer, log-spaced',
    String(DEFAULT_SEARCH_SPACE.gridLearningRates),
  ),
  row(
    '--presets LIST',
    'model presets: seed (ends in ReLU), recommended (not), cnn, best',
    DEFAULT_SEARCH_SPACE.presets.join(','),
  ),
  row('--optimizers LIST', OPTIMIZERS.join(', '), DEFAULT_SEARCH_SPACE.optimizers.join(',')),
  row('--batch-sizes LIST', 'batch sizes to try', DEFAULT_SEARCH_SPACE.batchSizes.join(',')),
  row('--hidden-sizes LIST', "hidden layer sizes to try, models separated by '/', e.g. 512,512/256", "each preset's"),
  row('--augments off,on', 'augmentation off / on (flip,crop:2) in the trials', 'off'),
  row('--label-smoothings LIST', 'label smoothing values to try, e.g. 0,0.1', '0'),
  row('--schedules LIST', 'constant, cosine, onecycle', 'constant'),
  row('--weight-decays LIST', 'weight decay values to try, e.g. 0,1e-4', "each optimizer's"),
  row('--lr-min X, --lr-max X', 'one learning-rate range (log scale) for every optimizer'),
  row('', `default, per optimizer: ${lrDefaults}`),
  row('--final-epochs N', "epochs in the printed 'fmnist-tui train' command", String(DEFAULT_FINAL_EPOCHS)),
].join('\n')}
  Trials train with shuffling and a constant learning rate, cross-entropy loss,
  and are scored after every epoch (accuracy first, then loss) on the test set,
  or with --holdout on images kept out of training, so the test set stays
  untouched for the final run.

Learning-rate finder (--lr-find)
  Takes the model and optimizer flags of 'fmnist-tui train' (--preset, --hidden,
  --optimizer and its parameters, --batch-size, --loss, --init-weights …), then:
${[
  row('--start-lr X', 'first learning rate of the ramp', formatLearningRate(LR_FINDER_DEFAULTS.startLr)),
  row('--end-lr X', 'last learning rate of the ramp', String(LR_FINDER_DEFAULTS.endLr)),
  row(
    '--steps N',
    'optimizer steps of the ramp (stops early when the loss diverges)',
    String(LR_FINDER_DEFAULTS.steps),
  ),
  row('--ascii', 'draw the plot with ASCII characters only'),
].join('\n')}
  The weights and optimizer state are restored afterwards: the finder never
  changes the model.

Both
${[
  row('--seed N', 'seeds weights, data order, sampling and the subset', '0'),
  row('--engine NAME', ENGINE_NAMES.join(' or '), 'onnx'),
  row('--data-dir DIR', 'read the four Fashion-MNIST files from DIR', 'found automatically'),
  row('--save-default', 'store the result as the default model and hyperparameters (the TUI starts from it)'),
  row('--json', 'print the result as one JSON object instead of a table / plot'),
  row('-h, --help', 'show this help'),
].join('\n')}

Examples
  $ fmnist-tui tune                            # 8 trials, ≤ 3 epochs, halving
  $ fmnist-tui tune --trials 24 --epochs 4 --subset 12000 --save-default
  $ fmnist-tui tune --mode grid --presets recommended --optimizers adam \\
      --batch-sizes 64,128 --grid-lrs 4
  $ fmnist-tui tune --lr-find --preset recommended --optimizer adam
  $ fmnist-tui tune --lr-find --optimizer sgd --momentum 0.9 --batch-size 128 \\
      --json | jq .suggestion
`;
