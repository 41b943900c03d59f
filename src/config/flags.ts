// The train flags: one table that `fmnist-tui train`, `tune --lr-find`, the interactive session's
// prefill and `train --help` all read.
//
// ADDING A FLAG (one place, then read it):
//   1. Add an entry to TRAIN_FLAGS below: its util.parseArgs `type`, its `group` (model | hyperparameters |
//      run: the help lists it under that title), `usage` + `help` lines for `train --help` (leave them out to
//      list it elsewhere, like the optimizer options), and, when it applies to one optimizer or schedule only, `optimizers` /
//      `schedule` (the "--momentum applies to sgd and rmsprop" errors come from these). `session: false` keeps
//      it out of the interactive session; `tune: 'both'` lets the search take it too (default: --lr-find only).
//   2. Turn its value into the run in config/train-config.ts (model flags: model-flags.ts, optimizer and
//      schedule options: optimizer-flags.ts, schedule-flags.ts; a default in config/defaults.ts), so train, tune
//      --lr-find and the session prefill all get it.
//   3. If the Hyperparameters form should edit it: a field in ui/fields.ts.
import { ACTIVATIONS } from '../core/model/spec.js';
import {
  LOSSES,
  OPTIMIZER_DEFAULTS as o,
  OPTIMIZERS,
  SCHEDULES,
  SEED_HYPERPARAMETERS as d,
} from '../core/train/hyperparameters.js';
import { DEFAULT_GAMMA, DEFAULT_STEP_EPOCHS } from './defaults.js';
import type { FlagSpec } from './flag-spec.js';

const ALL_OPTIMIZERS = OPTIMIZERS;

export const TRAIN_FLAGS = {
  preset: {
    type: 'string',
    group: 'model',
    usage: '--preset NAME',
    help: [
      "seed: the seed's model, ending in ReLU;",
      'recommended: without it; cnn: a small CNN with',
      'its own training settings; best: a wider CNN',
      'and recipe: 93.7% in 14 min here',
      '(default seed)',
    ],
  },
  layers: {
    type: 'string',
    group: 'model',
    usage: '--layers "LIST"',
    help: [
      'any small CNN as PyTorch layers, e.g. "Conv2d(16,3,',
      'padding=1) ReLU MaxPool2d(2) Flatten Linear(10)"',
      "(see 'fmnist-tui model --help')",
    ],
  },
  hidden: {
    type: 'string',
    group: 'model',
    usage: '--hidden SIZES',
    help: ['hidden layer sizes, comma-separated, or none', '(default 512,512)'],
  },
  activation: {
    type: 'string',
    group: 'model',
    usage: '--activation NAME',
    help: [`${ACTIVATIONS.join(', ')};`, 'one, or one per layer  (default relu)'],
  },
  'final-activation': {
    type: 'string',
    group: 'model',
    usage: '--final-activation NAME',
    help: ['activation after the last layer', '(default relu for seed, none for recommended)'],
  },
  dropout: {
    type: 'string',
    group: 'model',
    usage: '--dropout P',
    help: ['dropout after each hidden layer, 0 ≤ P < 1;', 'one, or one per layer  (default 0)'],
  },
  epochs: {
    type: 'string',
    group: 'hyperparameters',
    usage: '--epochs N',
    help: [`passes over the training set  (default ${d.epochs})`],
    tune: 'both',
  },
  lr: {
    type: 'string',
    group: 'hyperparameters',
    usage: '--lr X',
    help: [`learning rate  (default ${d.learningRate})`],
  },
  'batch-size': {
    type: 'string',
    group: 'hyperparameters',
    usage: '--batch-size N',
    help: ["images per step; an epoch's last batch may be", `smaller  (default ${d.batchSize})`],
  },
  loss: {
    type: 'string',
    group: 'hyperparameters',
    usage: '--loss NAME',
    help: [`${LOSSES.join(', ')}; nll ends the model in`, `LogSoftmax  (default ${d.loss})`],
  },
  'label-smoothing': {
    type: 'string',
    group: 'hyperparameters',
    usage: '--label-smoothing X',
    help: ['cross_entropy against (1 - X)·one-hot + X/10, as', "torch's label_smoothing  (default 0)"],
  },
  augment: {
    type: 'string',
    group: 'hyperparameters',
    usage: '--augment LIST',
    help: [
      'training images only: flip (RandomHorizontalFlip),',
      'crop:K (RandomCrop(28, padding=K)), erase',
      '(RandomErasing), e.g. flip,crop:2,erase',
      '(default none)',
    ],
    tune: 'both',
  },
  optimizer: {
    type: 'string',
    group: 'hyperparameters',
    usage: '--optimizer NAME',
    help: [`${OPTIMIZERS.join(', ')}, with torch.optim's update`, `rules and defaults  (default ${d.optimizer.kind})`],
    more: [
      `    sgd      --momentum ${o.sgd.momentum}  --dampening ${o.sgd.dampening}  --nesterov  --weight-decay ${o.sgd.weightDecay}`,
      `    adam     --beta1 ${o.adam.beta1}  --beta2 ${o.adam.beta2}  --eps ${o.adam.eps}  --amsgrad` +
        `  --weight-decay ${o.adam.weightDecay}`,
      `    rmsprop  --alpha ${o.rmsprop.alpha}  --eps ${o.rmsprop.eps}  --momentum ${o.rmsprop.momentum}  --centered`,
      `             --weight-decay ${o.rmsprop.weightDecay}`,
      `    adamw    as adam, the weight decay decoupled: p·(1 - lr·wd) each step`,
      `             (default --weight-decay ${o.adamw.weightDecay})`,
    ],
  },
  momentum: { type: 'string', group: 'hyperparameters', optimizers: ['sgd', 'rmsprop'] },
  dampening: { type: 'string', group: 'hyperparameters', optimizers: ['sgd'] },
  nesterov: { type: 'boolean', group: 'hyperparameters', optimizers: ['sgd'] },
  'weight-decay': { type: 'string', group: 'hyperparameters', optimizers: ALL_OPTIMIZERS },
  beta1: { type: 'string', group: 'hyperparameters', optimizers: ['adam', 'adamw'] },
  beta2: { type: 'string', group: 'hyperparameters', optimizers: ['adam', 'adamw'] },
  eps: { type: 'string', group: 'hyperparameters', optimizers: ['adam', 'rmsprop', 'adamw'] },
  amsgrad: { type: 'boolean', group: 'hyperparameters', optimizers: ['adam', 'adamw'] },
  alpha: { type: 'string', group: 'hyperparameters', optimizers: ['rmsprop'] },
  centered: { type: 'boolean', group: 'hyperparameters', optimizers: ['rmsprop'] },
  schedule: {
    type: 'string',
    group: 'hyperparameters',
    usage: '--schedule NAME',
    help: [
      `learning rate per step: ${SCHEDULES.slice(0, 3).join(', ')},`,
      `${SCHEDULES.slice(3).join(', ')}  (default ${d.schedule.kind})`,
    ],
    more: [
      `    step     --step-size ${DEFAULT_STEP_EPOCHS} (epochs)  --gamma ${DEFAULT_GAMMA}: lr × gamma every step-size`,
      '             epochs',
      '    cosine   --eta-min 0: from lr down to eta-min over the whole run',
      "    onecycle torch's OneCycleLR: up from lr/25 to lr in 30% of the run, then",
      '             down to lr/25e4; momentum (sgd, rmsprop) or beta1 (adam) 0.95 →',
      '             0.85 → 0.95',
    ],
  },
  'warmup-epochs': {
    type: 'string',
    group: 'hyperparameters',
    usage: '--warmup-epochs E',
    help: [
      'linear warm-up before the schedule: lr·(s+1)/(W+1)',
      "at step s < W, W = E epochs of steps (torch's",
      'LinearLR, then SequentialLR)  (default 0)',
    ],
  },
  val: {
    type: 'string',
    group: 'hyperparameters',
    usage: '--val N',
    help: ['hold out N training images (class-balanced, from', '--seed) and report validation loss and accuracy'],
    tune: 'none',
  },
  'early-stop': {
    type: 'string',
    group: 'hyperparameters',
    usage: '--early-stop PATIENCE',
    help: [
      'stop after PATIENCE epochs without improvement of',
      'the held-out --monitor (validation with --val,',
      'else test); --save keeps the best epoch in',
      'best.safetensors and exports it',
    ],
    tune: 'none',
  },
  monitor: {
    type: 'string',
    group: 'hyperparameters',
    usage: '--monitor loss|accuracy',
    help: ['what --early-stop watches  (default loss)'],
    tune: 'none',
  },
  export: {
    type: 'string',
    group: 'hyperparameters',
    usage: '--export best|last',
    help: ['with --early-stop and --save: the weights', 'model.onnx is made from  (default best)'],
    tune: 'none',
  },
  'step-size': { type: 'string', group: 'hyperparameters', schedule: 'step' },
  gamma: { type: 'string', group: 'hyperparameters', schedule: 'step' },
  'eta-min': { type: 'string', group: 'hyperparameters', schedule: 'cosine' },
  shuffle: {
    type: 'boolean',
    group: 'hyperparameters',
    usage: '--shuffle',
    help: ['shuffle each epoch, in an order from --seed and the', 'epoch  (default off, like the seed)'],
  },
  seed: {
    type: 'string',
    group: 'hyperparameters',
    usage: '--seed N',
    help: ['seeds initialisation, shuffling and dropout', `(default ${d.seed})`],
    tune: 'both',
  },
  engine: {
    type: 'string',
    group: 'run',
    usage: '--engine NAME',
    help: ['onnx (onnxruntime-node) or tfjs  (default onnx)'],
    tune: 'both',
  },
  'data-dir': {
    type: 'string',
    group: 'run',
    usage: '--data-dir DIR',
    help: ['read the four Fashion-MNIST files from DIR', '(default: found automatically)'],
    tune: 'both',
  },
  'init-weights': {
    type: 'string',
    group: 'run',
    usage: '--init-weights FILE',
    help: ['start from saved weights (.safetensors) instead of', 'random ones'],
    session: false,
  },
  save: {
    type: 'string',
    group: 'run',
    usage: '--save [DIR]',
    help: [
      'write weights, checkpoint, model.onnx, its',
      'verification and metrics',
      '(default DIR ./runs/<timestamp>/)',
    ],
    tune: 'none',
  },
  resume: {
    type: 'string',
    group: 'run',
    usage: '--resume FILE',
    help: ['continue from a checkpoint; --epochs sets the new', 'total'],
    session: false,
    tune: 'none',
  },
  force: {
    type: 'boolean',
    group: 'run',
    usage: '--force',
    help: ['replace files that already exist'],
    tune: 'none',
  },
  json: {
    type: 'boolean',
    group: 'run',
    usage: '--json',
    help: ["one JSON event per line instead of the seed's lines"],
    session: false,
    tune: 'both',
  },
  help: { type: 'boolean', short: 'h', group: 'run', usage: '-h, --help', help: ['show this help'], tune: 'both' },
} as const satisfies Record<string, FlagSpec>;

export type TrainFlagName = keyof typeof TRAIN_FLAGS;
