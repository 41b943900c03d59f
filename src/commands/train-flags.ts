import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.js';
import {
  ACTIVATIONS,
  PRESETS,
  PRESET_NAMES,
  validateModelSpec,
  type Activation,
  type HiddenLayer,
  type ModelSpec,
  type PresetName,
} from '../core/model/spec.js';
import { ENGINE_NAMES, type EngineName } from '../core/train/engine.js';
import {
  LOSSES,
  OPTIMIZERS,
  OPTIMIZER_DEFAULTS,
  SCHEDULES,
  SEED_HYPERPARAMETERS,
  stepsPerEpoch,
  validateHyperparameters,
  MONITORS,
  type Hyperparameters,
  type OptimizerName,
  type OptimizerOptions,
  type Schedule,
} from '../core/train/hyperparameters.js';
import { parseChoice, parseInteger, parseNumber } from './context.js';

/** Training images in the full Fashion-MNIST: flags are checked against it before the data is read. */
export const FULL_TRAIN_SIZE = 60000;
/** --schedule step without --step-size: the learning rate falls every this many epochs. */
export const DEFAULT_STEP_EPOCHS = 3;
/** torch.optim.lr_scheduler.StepLR's default gamma. */
export const DEFAULT_GAMMA = 0.1;

/** runs/2026-11-27T07-31-05: the --save folder when none is named (no colons: safe on every OS). */
export function defaultRunFolder(now = new Date()): string {
  return join('runs', now.toISOString().slice(0, 19).replace(/:/g, '-'));
}

/**
 * util.parseArgs options of `fmnist-tui train`; commands that train too (tune) spread these into
 * their own and hand the values to trainConfigFromValues.
 */
export const TRAIN_FLAG_OPTIONS = {
  preset: { type: 'string' },
  hidden: { type: 'string' },
  activation: { type: 'string' },
  'final-activation': { type: 'string' },
  dropout: { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  'batch-size': { type: 'string' },
  optimizer: { type: 'string' },
  momentum: { type: 'string' },
  dampening: { type: 'string' },
  nesterov: { type: 'boolean' },
  'weight-decay': { type: 'string' },
  beta1: { type: 'string' },
  beta2: { type: 'string' },
  eps: { type: 'string' },
  amsgrad: { type: 'boolean' },
  alpha: { type: 'string' },
  centered: { type: 'boolean' },
  loss: { type: 'string' },
  'label-smoothing': { type: 'string' },
  schedule: { type: 'string' },
  'step-size': { type: 'string' },
  gamma: { type: 'string' },
  'eta-min': { type: 'string' },
  'warmup-epochs': { type: 'string' },
  val: { type: 'string' },
  'early-stop': { type: 'string' },
  monitor: { type: 'string' },
  export: { type: 'string' },
  shuffle: { type: 'boolean' },
  seed: { type: 'string' },
  engine: { type: 'string' },
  'data-dir': { type: 'string' },
  'init-weights': { type: 'string' },
  save: { type: 'string' },
  resume: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type TrainFlagName = keyof typeof TRAIN_FLAG_OPTIONS;
/** The values util.parseArgs gives for TRAIN_FLAG_OPTIONS. */
export type TrainFlagValues = {
  [K in TrainFlagName]?: (typeof TRAIN_FLAG_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** Everything `fmnist-tui train` was asked to do, as plain data (the TUI prefills its forms from it). */
export interface TrainConfig {
  /** The preset the model started from (flags may have changed it since). */
  readonly preset: PresetName;
  readonly spec: ModelSpec;
  /**
   * Hyperparameters, validated against the full training set. A step schedule's stepSize is
   * in optimizer steps for the full set; resolveHyperparameters() redoes it for the data loaded.
   */
  readonly hyperparameters: Hyperparameters;
  /** --step-size in epochs (step schedule only). */
  readonly stepSizeEpochs?: number;
  /** --warmup-epochs (any schedule but onecycle); resolveHyperparameters() makes it steps of the data loaded. */
  readonly warmupEpochs?: number;
  readonly engine: EngineName;
  /** --data-dir */
  readonly dataDir?: string;
  /** --init-weights: a safetensors weights file to start from. */
  readonly initWeights?: string;
  /** --save: the run folder; '' means the default ./runs/<timestamp>/. Absent: don't save. */
  readonly save?: string;
  /** --resume: a checkpoint to continue from. */
  readonly resume?: string;
  readonly force: boolean;
  readonly json: boolean;
  /** --export: which weights model.onnx is made from with --save and --early-stop (default best). */
  readonly exportWeights: 'best' | 'last';
  /** The flags given on the command line (without dashes), e.g. ['epochs', 'lr']. */
  readonly explicit: readonly TrainFlagName[];
}

/** Flags each optimizer takes (weight decay: all). */
const OPTIMIZER_FLAGS: Record<OptimizerName, readonly TrainFlagName[]> = {
  sgd: ['momentum', 'dampening', 'nesterov', 'weight-decay'],
  adam: ['beta1', 'beta2', 'eps', 'amsgrad', 'weight-decay'],
  rmsprop: ['alpha', 'eps', 'momentum', 'centered', 'weight-decay'],
};
const SCHEDULE_FLAGS: Record<Schedule['kind'], readonly TrainFlagName[]> = {
  constant: [],
  step: ['step-size', 'gamma'],
  cosine: ['eta-min'],
  onecycle: [],
};

const HELP_POINTER = "(see 'fmnist-tui train --help')";

/** `--save` may come without a folder: make that explicit for util.parseArgs (no positionals here). */
function withOptionalSave(argv: readonly string[]): string[] {
  return argv.map((arg, i) =>
    arg === '--save' && (i + 1 >= argv.length || argv[i + 1].startsWith('-')) ? '--save=' : arg,
  );
}

/**
 * util.parseArgs on flags without positionals: train's, and those that include them (tune, the
 * interactive session). Every error is one line that points at `fmnist-tui <command> --help`.
 */
export function parseFlagValues(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  command: string,
): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: withOptionalSave(argv), options, allowPositionals: false, strict: true }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (err) {
    const first = (err as Error).message.split('\n')[0];
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(first);
    const given = ambiguous ? (argv[argv.indexOf(ambiguous[1]) + 1] ?? '-1') : '';
    const message = ambiguous
      ? `${ambiguous[1]} ${given}: write a value starting with '-' attached, as ${ambiguous[1]}=${given}`
      : first.replace(/\. To specify a positional argument.*$/s, '').replace(/\.$/, '');
    throw new UsageError(`${message} ${HELP_POINTER.replace('train', command)}`);
  }
}

/** util.parseArgs on the train flags; every error is one line. */
export function parseTrainArgs(argv: readonly string[], command = 'train'): TrainFlagValues {
  return parseFlagValues(argv, TRAIN_FLAG_OPTIONS, command) as TrainFlagValues;
}

function list(what: string, value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`${what}: empty item in '${value}' (write e.g. 512,512)`);
  return items;
}

/** One value for all layers, or one per layer. */
function perLayer<T>(
  what: string,
  value: string | undefined,
  layers: number,
  parse: (s: string) => T,
  fallback: (i: number) => T,
): T[] {
  if (value === undefined) return Array.from({ length: layers }, (_, i) => fallback(i));
  const items = list(what, value).map(parse);
  if (items.length === 1) return Array.from({ length: layers }, () => items[0]);
  if (items.length !== layers)
    throw new UsageError(
      `${what} has ${items.length} values but there are ${layers} hidden layers (give one value, or one per layer)`,
    );
  return items;
}

function buildSpec(values: TrainFlagValues, preset: PresetName): ModelSpec {
  const base: ModelSpec = PRESETS[preset];
  let units = base.hidden.map((l) => l.units);
  if (values.hidden !== undefined) {
    const raw = values.hidden.trim();
    units = raw === '' || raw === 'none' ? [] : list('--hidden', raw).map((s) => parseInteger('--hidden', s, 0));
    units.forEach((u) => {
      if (u < 1)
        throw new UsageError(
          `--hidden: a layer size must be at least 1 (got ${u}); use --hidden none for no hidden layers`,
        );
    });
  }
  const baseLayer = (i: number): HiddenLayer =>
    base.hidden[Math.min(i, base.hidden.length - 1)] ?? { units: 0, activation: 'relu', dropout: 0 };
  const activations = perLayer(
    '--activation',
    values.activation,
    units.length,
    (s) => parseChoice('--activation', s, ACTIVATIONS, 'relu'),
    (i) => baseLayer(i).activation,
  );
  const dropouts = perLayer(
    '--dropout',
    values.dropout,
    units.length,
    (s) => parseNumber('--dropout', s, 0),
    (i) => baseLayer(i).dropout,
  );
  const finalActivation: Activation = parseChoice(
    '--final-activation',
    values['final-activation'],
    ACTIVATIONS,
    base.finalActivation,
  );
  const loss = values.loss ?? SEED_HYPERPARAMETERS.loss;
  return validateModelSpec({
    hidden: units.map((u, i) => ({ units: u, activation: activations[i], dropout: dropouts[i] })),
    finalActivation,
    // NLLLoss expects log-probabilities: the model ends in LogSoftmax.
    logSoftmax: loss === 'nll',
  });
}

function buildOptimizer(values: TrainFlagValues, kind: OptimizerName): OptimizerOptions {
  for (const name of [
    'momentum',
    'dampening',
    'nesterov',
    'weight-decay',
    'beta1',
    'beta2',
    'eps',
    'amsgrad',
    'alpha',
    'centered',
  ] as const) {
    if (values[name] !== undefined && !OPTIMIZER_FLAGS[kind].includes(name)) {
      const takers = OPTIMIZERS.filter((o) => OPTIMIZER_FLAGS[o].includes(name));
      throw new UsageError(
        `--${name} applies to ${takers.join(' and ')}, not ${kind} (choose one with --optimizer) ${HELP_POINTER}`,
      );
    }
  }
  const num = (name: TrainFlagName, fallback: number) =>
    parseNumber(`--${name}`, values[name] as string | undefined, fallback);
  switch (kind) {
    case 'sgd': {
      const d = OPTIMIZER_DEFAULTS.sgd;
      return {
        kind,
        momentum: num('momentum', d.momentum),
        dampening: num('dampening', d.dampening),
        nesterov: values.nesterov ?? d.nesterov,
        weightDecay: num('weight-decay', d.weightDecay),
      };
    }
    case 'adam': {
      const d = OPTIMIZER_DEFAULTS.adam;
      return {
        kind,
        beta1: num('beta1', d.beta1),
        beta2: num('beta2', d.beta2),
        eps: num('eps', d.eps),
        weightDecay: num('weight-decay', d.weightDecay),
        amsgrad: values.amsgrad ?? d.amsgrad,
      };
    }
    case 'rmsprop': {
      const d = OPTIMIZER_DEFAULTS.rmsprop;
      return {
        kind,
        alpha: num('alpha', d.alpha),
        eps: num('eps', d.eps),
        weightDecay: num('weight-decay', d.weightDecay),
        momentum: num('momentum', d.momentum),
        centered: values.centered ?? d.centered,
      };
    }
  }
}

function buildSchedule(
  values: TrainFlagValues,
  kind: Schedule['kind'],
  batchSize: number,
  trainSize: number,
): { schedule: Schedule; stepSizeEpochs?: number } {
  for (const name of ['step-size', 'gamma', 'eta-min'] as const) {
    if (values[name] !== undefined && !SCHEDULE_FLAGS[kind].includes(name)) {
      const owner = SCHEDULES.find((s) => SCHEDULE_FLAGS[s].includes(name));
      throw new UsageError(`--${name} applies to --schedule ${owner}, not ${kind} ${HELP_POINTER}`);
    }
  }
  if (kind === 'constant' || kind === 'onecycle') return { schedule: { kind } };
  if (kind === 'cosine') return { schedule: { kind, tMax: 0, etaMin: parseNumber('--eta-min', values['eta-min'], 0) } };
  const stepSizeEpochs = parseInteger('--step-size', values['step-size'], DEFAULT_STEP_EPOCHS);
  if (stepSizeEpochs < 1)
    throw new UsageError(`--step-size must be a whole number of epochs of at least 1 (got ${stepSizeEpochs})`);
  const gamma = parseNumber('--gamma', values.gamma, DEFAULT_GAMMA);
  return { schedule: { kind, stepSize: stepSizeEpochs * stepsPerEpoch(trainSize, batchSize), gamma }, stepSizeEpochs };
}

function checkValidation(validation: number | undefined, trainSize: number): void {
  if (validation !== undefined && validation >= trainSize)
    throw new UsageError(`--val ${validation} leaves nothing to train on (the training set has ${trainSize} images)`);
}

function parseWarmup(value: string | undefined, kind: Schedule['kind'], epochs: number): number | undefined {
  if (value === undefined) return undefined;
  const warmup = parseNumber('--warmup-epochs', value, 0);
  if (kind === 'onecycle')
    throw new UsageError(`--warmup-epochs does not apply to --schedule onecycle (it warms up itself) ${HELP_POINTER}`);
  if (warmup < 0 || warmup >= epochs)
    throw new UsageError(`--warmup-epochs must be at least 0 and fewer than --epochs ${epochs} (got ${warmup})`);
  return warmup;
}

/** The schedule with `warmupEpochs` of linear warm-up (rounded to whole steps) before it. */
function withWarmup(schedule: Schedule, warmupEpochs: number | undefined, perEpoch: number): Schedule {
  if (warmupEpochs === undefined || schedule.kind === 'onecycle') return schedule;
  return { ...schedule, warmupSteps: Math.round(warmupEpochs * perEpoch) };
}

/**
 * Turns parsed flag values into a validated TrainConfig; the first invalid value throws a
 * one-line UsageError (exit 2) before any work. Defaults are the seed program's.
 */
export function trainConfigFromValues(values: TrainFlagValues, command = 'train'): TrainConfig {
  const explicit = (Object.keys(values) as TrainFlagName[]).filter((k) => values[k] !== undefined && k !== 'help');
  const preset = parseChoice('--preset', values.preset, PRESET_NAMES, 'seed');
  const loss = parseChoice('--loss', values.loss, LOSSES, SEED_HYPERPARAMETERS.loss);
  const optimizerKind = parseChoice('--optimizer', values.optimizer, OPTIMIZERS, SEED_HYPERPARAMETERS.optimizer.kind);
  const scheduleKind = parseChoice('--schedule', values.schedule, SCHEDULES, SEED_HYPERPARAMETERS.schedule.kind);
  const engine = parseChoice('--engine', values.engine, ENGINE_NAMES, 'onnx');
  const spec = buildSpec(values, preset);

  const learningRate = parseNumber('--lr', values.lr, SEED_HYPERPARAMETERS.learningRate);
  const batchSize = parseInteger('--batch-size', values['batch-size'], SEED_HYPERPARAMETERS.batchSize);
  const epochs = parseInteger('--epochs', values.epochs, SEED_HYPERPARAMETERS.epochs);
  const seed = parseInteger('--seed', values.seed, SEED_HYPERPARAMETERS.seed);
  const validation = values.val === undefined ? undefined : parseInteger('--val', values.val, 0);
  checkValidation(validation, FULL_TRAIN_SIZE);
  const patience =
    values['early-stop'] === undefined ? undefined : parseInteger('--early-stop', values['early-stop'], 0);
  if (values.monitor !== undefined && patience === undefined)
    throw new UsageError(`--monitor chooses what --early-stop watches; give --early-stop PATIENCE too ${HELP_POINTER}`);
  const monitor = parseChoice('--monitor', values.monitor, MONITORS, 'loss');
  const exportWeights = parseChoice('--export', values.export, ['best', 'last'] as const, 'best');
  if (values.export !== undefined && (values.save === undefined || patience === undefined))
    throw new UsageError(
      `--export chooses the best or last epoch's weights for --save with --early-stop ${HELP_POINTER}`,
    );
  const labelSmoothing =
    values['label-smoothing'] === undefined
      ? undefined
      : parseNumber('--label-smoothing', values['label-smoothing'], 0);
  // Checked before building the schedule, which divides by the batch size.
  validateHyperparameters({ ...SEED_HYPERPARAMETERS, learningRate, batchSize, epochs, seed }, FULL_TRAIN_SIZE);
  const optimizer = buildOptimizer(values, optimizerKind);
  const built = buildSchedule(values, scheduleKind, batchSize, FULL_TRAIN_SIZE);
  const { stepSizeEpochs } = built;
  const warmupEpochs = parseWarmup(values['warmup-epochs'], scheduleKind, epochs);
  const schedule = withWarmup(built.schedule, warmupEpochs, stepsPerEpoch(FULL_TRAIN_SIZE, batchSize));
  const hyperparameters = validateHyperparameters(
    {
      learningRate,
      batchSize,
      epochs,
      optimizer,
      loss,
      schedule,
      shuffle: values.shuffle ?? SEED_HYPERPARAMETERS.shuffle,
      seed,
      // Set only when given: hyperparameters without the flag keep the seed program's shape.
      ...(labelSmoothing !== undefined && { labelSmoothing }),
      ...(validation !== undefined && { validation }),
      ...(patience !== undefined && { earlyStop: { patience, monitor } }),
    },
    FULL_TRAIN_SIZE,
  );

  const path = (name: 'data-dir' | 'init-weights' | 'resume') => {
    const v = values[name];
    if (v !== undefined && v.trim() === '')
      throw new UsageError(`--${name} needs a path ${HELP_POINTER.replace('train', command)}`);
    return v;
  };
  const resume = path('resume');
  const initWeights = path('init-weights');
  if (resume !== undefined && initWeights !== undefined)
    throw new UsageError('--resume and --init-weights both set the starting weights; give one of them');
  return {
    preset,
    spec,
    hyperparameters,
    stepSizeEpochs,
    ...(warmupEpochs !== undefined && { warmupEpochs }),
    engine,
    dataDir: path('data-dir'),
    initWeights,
    save: values.save,
    resume,
    force: values.force ?? false,
    json: values.json ?? false,
    exportWeights,
    explicit,
  };
}

/** Parses `fmnist-tui train` arguments: { help } for --help, else the validated config. */
export function parseTrainFlags(argv: readonly string[], command = 'train'): { help: boolean; config: TrainConfig } {
  const values = parseTrainArgs(argv, command);
  if (values.help) return { help: true, config: trainConfigFromValues({}, command) };
  return { help: false, config: trainConfigFromValues(values, command) };
}

/**
 * The hyperparameters for the data actually loaded: checks the batch size against its
 * training set and converts a step schedule's --step-size (epochs) into optimizer steps.
 */
export function resolveHyperparameters(
  config: Pick<TrainConfig, 'hyperparameters' | 'stepSizeEpochs' | 'warmupEpochs'>,
  trainSize: number,
): Hyperparameters {
  const hp = config.hyperparameters;
  checkValidation(hp.validation, trainSize);
  // Steps count the images trained on: the training set without the validation split.
  trainSize -= hp.validation ?? 0;
  const perEpoch = stepsPerEpoch(trainSize, hp.batchSize);
  const schedule: Schedule =
    hp.schedule.kind === 'step' && config.stepSizeEpochs !== undefined
      ? { ...hp.schedule, stepSize: config.stepSizeEpochs * perEpoch }
      : hp.schedule;
  return validateHyperparameters({ ...hp, schedule: withWarmup(schedule, config.warmupEpochs, perEpoch) }, trainSize);
}

const d = SEED_HYPERPARAMETERS;
const o = OPTIMIZER_DEFAULTS;

/** `fmnist-tui train --help`: teaches the flags, shows the defaults (the seed program's) and examples. */
export const TRAIN_HELP = `Train the model on Fashion-MNIST and print the seed program's lines.

Usage
  $ fmnist-tui train [flags]

Model
  --preset NAME            seed: the seed's model, ending in ReLU;
                           recommended: without it  (default seed)
  --hidden SIZES           hidden layer sizes, comma-separated, or none
                           (default 512,512)
  --activation NAME        ${ACTIVATIONS.join(', ')};
                           one, or one per layer  (default relu)
  --final-activation NAME  activation after the last layer
                           (default relu for seed, none for recommended)
  --dropout P              dropout after each hidden layer, 0 ≤ P < 1;
                           one, or one per layer  (default 0)

Hyperparameters
  --epochs N               passes over the training set  (default ${d.epochs})
  --lr X                   learning rate  (default ${d.learningRate})
  --batch-size N           images per step; an epoch's last batch may be
                           smaller  (default ${d.batchSize})
  --loss NAME              ${LOSSES.join(', ')}; nll ends the model in
                           LogSoftmax  (default ${d.loss})
  --label-smoothing X      cross_entropy against (1 - X)·one-hot + X/10, as
                           torch's label_smoothing  (default 0)
  --optimizer NAME         ${OPTIMIZERS.join(', ')}, with torch.optim's update rules
                           and defaults  (default ${d.optimizer.kind})
    sgd      --momentum ${o.sgd.momentum}  --dampening ${o.sgd.dampening}  --nesterov  --weight-decay ${o.sgd.weightDecay}
    adam     --beta1 ${o.adam.beta1}  --beta2 ${o.adam.beta2}  --eps ${o.adam.eps}  --amsgrad  --weight-decay ${o.adam.weightDecay}
    rmsprop  --alpha ${o.rmsprop.alpha}  --eps ${o.rmsprop.eps}  --momentum ${o.rmsprop.momentum}  --centered
             --weight-decay ${o.rmsprop.weightDecay}
  --schedule NAME          learning rate per step: ${SCHEDULES.slice(0, 3).join(', ')},
                           ${SCHEDULES.slice(3).join(', ')}  (default ${d.schedule.kind})
    step     --step-size ${DEFAULT_STEP_EPOCHS} (epochs)  --gamma ${DEFAULT_GAMMA}: lr × gamma every step-size
             epochs
    cosine   --eta-min 0: from lr down to eta-min over the whole run
    onecycle torch's OneCycleLR: up from lr/25 to lr in 30% of the run, then
             down to lr/25e4; momentum (sgd, rmsprop) or beta1 (adam) 0.95 →
             0.85 → 0.95
  --warmup-epochs E        linear warm-up before the schedule: lr·(s+1)/(W+1)
                           at step s < W, W = E epochs of steps (torch's
                           LinearLR, then SequentialLR)  (default 0)
  --val N                  hold out N training images (class-balanced, from
                           --seed) and report validation loss and accuracy
  --early-stop PATIENCE    stop after PATIENCE epochs without improvement of
                           the held-out --monitor (validation with --val,
                           else test); --save keeps the best epoch in
                           best.safetensors and exports it
  --monitor loss|accuracy  what --early-stop watches  (default loss)
  --export best|last       with --early-stop and --save: the weights
                           model.onnx is made from  (default best)
  --shuffle                shuffle each epoch, in an order from --seed and the
                           epoch  (default off, like the seed)
  --seed N                 seeds initialisation, shuffling and dropout
                           (default ${d.seed})

Run
  --engine NAME            onnx (onnxruntime-node) or tfjs  (default onnx)
  --data-dir DIR           read the four Fashion-MNIST files from DIR
                           (default: found automatically)
  --init-weights FILE      start from saved weights (.safetensors) instead of
                           random ones
  --save [DIR]             write weights, checkpoint, model.onnx, its
                           verification and metrics
                           (default DIR ./runs/<timestamp>/)
  --resume FILE            continue from a checkpoint; --epochs sets the new
                           total
  --force                  replace files that already exist
  --json                   one JSON event per line instead of the seed's lines
  -h, --help               show this help

Output is the seed's: "Epoch N", a loss line every 100 batches, "Test Error:"
with the accuracy and average loss after each epoch, then "Done!". A short
header (data, engine, model) goes to stderr. Ctrl-C stops after the current
step and says where (exit 130); with --save the checkpoint is written first.
A second Ctrl-C quits at once.

Examples
  $ fmnist-tui train               # the seed program: 10 epochs of SGD, lr 1e-3
  $ fmnist-tui train --preset recommended --optimizer adam --shuffle \\
      --schedule cosine --save runs/best
  $ fmnist-tui train --hidden 256 --dropout 0.2 --lr 0.05 --momentum 0.9 \\
      --epochs 5
  $ fmnist-tui train --resume runs/best/checkpoint.ckpt --epochs 15
  $ fmnist-tui train --epochs 1 --json | jq -c 'select(.type == "epochEnd")'
`;
