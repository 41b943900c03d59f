// Train flags → what a run is (model, hyperparameters, engine, files), validated before any work.
import { hasAugment, parseAugment } from '../core/train/augment.js';
import { UsageError } from '../core/errors.js';
import { formatList } from '../core/format.js';
import {
  ACTIVATIONS,
  type Activation,
  type HiddenLayer,
  type ModelSpec,
  PRESET_NAMES,
  PRESETS,
  type PresetName,
  validateModelSpec,
} from '../core/model/spec.js';
import { ENGINE_NAMES, type EngineName } from '../core/train/engine.js';
import {
  type Hyperparameters,
  LOSSES,
  MONITORS,
  OPTIMIZER_DEFAULTS,
  type OptimizerName,
  type OptimizerOptions,
  OPTIMIZERS,
  type Schedule,
  SCHEDULES,
  SEED_HYPERPARAMETERS,
  stepsPerEpoch,
  validateHyperparameters,
} from '../core/train/hyperparameters.js';
import { DEFAULT_ENGINE, DEFAULT_GAMMA, DEFAULT_STEP_EPOCHS, FULL_TRAIN_SIZE } from './defaults.js';
import { flagSpec, TRAIN_FLAG_OPTIONS, type TrainFlagName, type TrainFlagValues, trainFlagsWhere } from './flags.js';
import { parseChoice, parseFlags, parseInteger, parseList, parseNumber } from './parse-args.js';
import { endsInLogSoftmax } from './rules.js';
import { layerSpecFromFlags } from './layer-flags.js';
import { withPresetTraining } from './preset-training.js';

/** Longest run the flags accept: a full-data epoch takes a second or more, so this is hours already. */
export const MAX_EPOCHS = 10_000;

/** Everything `fmnist-tui train` was asked to do, as plain data (the session prefills its forms from it). */
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

/** What flags that are not given keep: the seed program, or (in the session) the remembered settings. */
export interface RunBase {
  readonly spec: ModelSpec;
  readonly hyperparameters: Hyperparameters;
  readonly engine: EngineName;
}

export const SEED_RUN: RunBase = { spec: PRESETS.seed, hyperparameters: SEED_HYPERPARAMETERS, engine: DEFAULT_ENGINE };

const pointer = (command: string) => `(see 'fmnist-tui ${command} --help')`;

/** util.parseArgs on the train flags (`--save` may come without a folder); every error is one line. */
export function parseTrainArgs(argv: readonly string[], command = 'train'): TrainFlagValues {
  return parseFlags(command, argv, TRAIN_FLAG_OPTIONS, { optionalValue: ['save'] }).values as TrainFlagValues;
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
  const items = parseList(what, value, { example: '512,512' }).map(parse);
  if (items.length === 1) return Array.from({ length: layers }, () => items[0]);
  if (items.length !== layers)
    throw new UsageError(
      `${what} has ${items.length} values but there are ${layers} hidden layers (give one value, or one per layer)`,
    );
  return items;
}

function buildSpec(values: TrainFlagValues, base: ModelSpec, loss: Hyperparameters['loss']): ModelSpec {
  const layerList = layerSpecFromFlags(values, base, loss);
  if (layerList) return layerList;
  let units = base.hidden.map((l) => l.units);
  if (values.hidden !== undefined) {
    const raw = values.hidden.trim();
    units =
      raw === '' || raw === 'none'
        ? []
        : parseList('--hidden', raw, { example: '512,512' }).map((s) => parseInteger('--hidden', s, 0));
    for (const u of units)
      if (u < 1)
        throw new UsageError(
          `--hidden: a layer size must be at least 1 (got ${u}); use --hidden none for no hidden layers`,
        );
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
  return validateModelSpec({
    hidden: units.map((u, i) => ({ units: u, activation: activations[i], dropout: dropouts[i] })),
    finalActivation,
    logSoftmax: endsInLogSoftmax(loss),
  });
}

/** A flag given for another optimizer or schedule than the one chosen: one line naming who takes it. */
function checkOwners(values: TrainFlagValues, optimizer: OptimizerName, schedule: Schedule['kind']): void {
  for (const name of trainFlagsWhere((s) => s.optimizers !== undefined)) {
    const takers = flagSpec(name).optimizers!;
    if (values[name] !== undefined && !takers.includes(optimizer))
      throw new UsageError(
        `--${name} applies to ${formatList([...takers])}, not ${optimizer} (choose one with --optimizer) ${pointer('train')}`,
      );
  }
  for (const name of trainFlagsWhere((s) => s.schedule !== undefined)) {
    const owner = flagSpec(name).schedule;
    if (values[name] !== undefined && owner !== schedule)
      throw new UsageError(`--${name} applies to --schedule ${owner}, not ${schedule} ${pointer('train')}`);
  }
}

function buildOptimizer(values: TrainFlagValues, kind: OptimizerName, base: OptimizerOptions): OptimizerOptions {
  const num = (name: TrainFlagName, fallback: number) =>
    parseNumber(`--${name}`, values[name] as string | undefined, fallback);
  switch (kind) {
    case 'sgd': {
      const d = base.kind === kind ? base : OPTIMIZER_DEFAULTS.sgd;
      return {
        kind,
        momentum: num('momentum', d.momentum),
        dampening: num('dampening', d.dampening),
        nesterov: values.nesterov ?? d.nesterov,
        weightDecay: num('weight-decay', d.weightDecay),
      };
    }
    case 'adam':
    case 'adamw': {
      const d = base.kind === kind ? base : OPTIMIZER_DEFAULTS[kind];
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
      const d = base.kind === kind ? base : OPTIMIZER_DEFAULTS.rmsprop;
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
  base: Schedule,
  { learningRate, batchSize }: { learningRate: number; batchSize: number },
): { schedule: Schedule; stepSizeEpochs?: number } {
  // A remembered schedule of the same kind keeps its options (and warm-up) unless flags name them.
  if (kind === 'constant' || kind === 'onecycle') return { schedule: base.kind === kind ? base : { kind } };
  if (kind === 'cosine') {
    const b = base.kind === 'cosine' ? base : { kind, tMax: 0, etaMin: 0 };
    const etaMin = parseNumber('--eta-min', values['eta-min'], b.etaMin);
    if (etaMin > learningRate)
      throw new UsageError(
        `--eta-min ${etaMin} is above the learning rate ${learningRate}: cosine would raise it; give an --eta-min below --lr`,
      );
    return { schedule: { ...b, etaMin } };
  }
  const gamma = parseNumber('--gamma', values.gamma, base.kind === 'step' ? base.gamma : DEFAULT_GAMMA);
  // A remembered step schedule keeps its size in steps unless --step-size (in epochs) is given.
  if (base.kind === 'step' && values['step-size'] === undefined) return { schedule: { ...base, gamma } };
  const stepSizeEpochs = parseInteger('--step-size', values['step-size'], DEFAULT_STEP_EPOCHS);
  if (stepSizeEpochs < 1)
    throw new UsageError(`--step-size must be a whole number of epochs of at least 1 (got ${stepSizeEpochs})`);
  const stepSize = stepSizeEpochs * stepsPerEpoch(FULL_TRAIN_SIZE, batchSize);
  return { schedule: { kind, stepSize, gamma }, stepSizeEpochs };
}

function checkValidation(validation: number | undefined, trainSize: number): void {
  if (validation !== undefined && validation >= trainSize)
    throw new UsageError(`--val ${validation} leaves nothing to train on (the training set has ${trainSize} images)`);
}

/** --val, --early-stop and --monitor (over the base's), and --export. */
function parseHeldOut(values: TrainFlagValues, hp0: Hyperparameters) {
  const validation = values.val === undefined ? hp0.validation : parseInteger('--val', values.val, 0);
  checkValidation(validation, FULL_TRAIN_SIZE);
  const patience =
    values['early-stop'] === undefined
      ? hp0.earlyStop?.patience
      : parseInteger('--early-stop', values['early-stop'], 0);
  if (values.monitor !== undefined && patience === undefined)
    throw new UsageError(
      `--monitor chooses what --early-stop watches; give --early-stop PATIENCE too ${pointer('train')}`,
    );
  const monitor = parseChoice('--monitor', values.monitor, MONITORS, hp0.earlyStop?.monitor ?? 'loss');
  const exportWeights = parseChoice('--export', values.export, ['best', 'last'] as const, 'best');
  if (values.export !== undefined && (values.save === undefined || patience === undefined))
    throw new UsageError(
      `--export chooses the best or last epoch's weights for --save with --early-stop ${pointer('train')}`,
    );
  return {
    exportWeights,
    // Set only when given: hyperparameters without these keep the seed program's shape.
    heldOut: {
      ...(validation !== undefined && { validation }),
      ...(patience !== undefined && { earlyStop: { patience, monitor } }),
    },
  };
}

function parseWarmup(value: string | undefined, kind: Schedule['kind'], epochs: number): number | undefined {
  if (value === undefined) return undefined;
  const warmup = parseNumber('--warmup-epochs', value, 0);
  if (kind === 'onecycle')
    throw new UsageError(
      `--warmup-epochs does not apply to --schedule onecycle (it warms up itself) ${pointer('train')}`,
    );
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
 * Turns parsed flag values into a validated TrainConfig; the first invalid value throws a one-line
 * UsageError (exit 2) before any work. What no flag names comes from `base` (default: the seed program);
 * --preset starts the model over from that preset.
 */
export function trainConfigFromValues(
  values: TrainFlagValues,
  { command = 'train', base = SEED_RUN }: { command?: string; base?: RunBase } = {},
): TrainConfig {
  const explicit = (Object.keys(values) as TrainFlagName[]).filter((k) => values[k] !== undefined && k !== 'help');
  const preset = parseChoice('--preset', values.preset, PRESET_NAMES, 'seed');
  // A preset named on the command line brings its own training settings; flags still win.
  const hp0 = values.preset !== undefined ? withPresetTraining(base.hyperparameters, preset) : base.hyperparameters;
  const loss = parseChoice('--loss', values.loss, LOSSES, hp0.loss);
  const optimizerKind = parseChoice('--optimizer', values.optimizer, OPTIMIZERS, hp0.optimizer.kind);
  const scheduleKind = parseChoice('--schedule', values.schedule, SCHEDULES, hp0.schedule.kind);
  const engine = parseChoice('--engine', values.engine, ENGINE_NAMES, base.engine);
  const spec = buildSpec(values, values.preset !== undefined ? PRESETS[preset] : base.spec, loss);

  const learningRate = parseNumber('--lr', values.lr, hp0.learningRate);
  const batchSize = parseInteger('--batch-size', values['batch-size'], hp0.batchSize);
  const epochs = parseInteger('--epochs', values.epochs, hp0.epochs);
  const seed = parseInteger('--seed', values.seed, hp0.seed);
  const { heldOut, exportWeights } = parseHeldOut(values, hp0);
  const labelSmoothing = parseNumber('--label-smoothing', values['label-smoothing'], hp0.labelSmoothing ?? 0);
  const augment = values.augment === undefined ? hp0.augment : parseAugment(values.augment);
  // Checked before building the schedule, which divides by the batch size.
  validateHyperparameters({ ...SEED_HYPERPARAMETERS, learningRate, batchSize, epochs, seed }, FULL_TRAIN_SIZE);
  if (epochs > MAX_EPOCHS)
    throw new UsageError(`--epochs ${epochs} is more than ${MAX_EPOCHS}; give fewer (a full-data epoch takes seconds)`);
  checkOwners(values, optimizerKind, scheduleKind);
  const optimizer = buildOptimizer(values, optimizerKind, hp0.optimizer);
  const built = buildSchedule(values, scheduleKind, hp0.schedule, { learningRate, batchSize });
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
      shuffle: values.shuffle ?? hp0.shuffle,
      seed,
      // Set only when not 0: hyperparameters without it keep the seed program's shape.
      ...(labelSmoothing !== 0 && { labelSmoothing }),
      ...(hasAugment(augment) && { augment }),
      ...heldOut,
    },
    FULL_TRAIN_SIZE,
  );

  const path = (name: 'data-dir' | 'init-weights' | 'resume') => {
    const v = values[name];
    if (v !== undefined && v.trim() === '') throw new UsageError(`--${name} needs a path ${pointer(command)}`);
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
export function parseTrainFlags(
  argv: readonly string[],
  options: { command?: string; base?: RunBase } = {},
): { help: boolean; config: TrainConfig } {
  const values = parseTrainArgs(argv, options.command);
  if (values.help) return { help: true, config: trainConfigFromValues({}, options) };
  return { help: false, config: trainConfigFromValues(values, options) };
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
