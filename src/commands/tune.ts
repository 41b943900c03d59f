import { UsageError, UserError } from '../core/errors.js';
import { initParameters } from '../core/model/init.js';
import { PRESET_NAMES, describeModel, type PresetName } from '../core/model/spec.js';
import { ENGINE_NAMES, type Engine, type EngineName } from '../core/train/engine.js';
import { OPTIMIZERS, type OptimizerName } from '../core/train/hyperparameters.js';
import type { PlotCharset } from '../core/render/line-plot.js';
import { explainSuggestion, renderLrFinderPlot, roundSuggestion } from '../core/tune/lr-plot.js';
import {
  DEFAULT_BUDGET,
  halvingPlan,
  planEpochs,
  rankTrials,
  validateBudget,
  type SearchBudget,
} from '../core/tune/halving.js';
import { formatLearningRate } from '../core/format.js';
import {
  renderTrialTable,
  trainCommand,
  trainFlags,
  trialCells,
  trialHyperparameters,
  type TrialState,
} from '../core/tune/report.js';
import {
  DEFAULT_SEARCH_SPACE,
  SEARCH_MODES,
  planTrials,
  trialSpec,
  validateSearchSpace,
  type SearchMode,
  type SearchSpace,
} from '../core/tune/search-space.js';
import { createEngine, engineRuntimeFromEnv } from '../engines/index.js';
import type { LoadedDataset } from '../io/data/load.js';
import { openSettings } from '../io/settings.js';
import { readWeights } from '../io/safetensors.js';
import {
  findLearningRate,
  validateLrFinderOptions,
  LR_FINDER_DEFAULTS,
  type LrFinderResult,
} from '../tune/lr-finder.js';
import { runSearch, type SearchEvent } from '../tune/search.js';
import { selectExamples } from '../tune/batches.js';
import { balancedSubsetIndices, complementIndices } from '../core/tune/subset.js';
import { deriveSeed } from '../core/random.js';
import type { Split } from '../core/dataset/types.js';
import { writeLine, type CommandContext } from '../cli-context.js';
import {
  DEFAULT_ENGINE,
  parseChoice,
  parseFlags,
  parseInteger,
  parseList,
  parseNumber,
  resolveHyperparameters,
  TRAIN_FLAG_OPTIONS,
  trainConfigFromValues,
  type TrainFlagName,
  type TrainFlagValues,
  trainFlagsWhere,
} from '../config/index.js';
import { EXIT_INTERRUPTED, withInterrupt } from './interrupt.js';
import { loadRunData } from './train.js';

/** Epochs in the `fmnist-tui train` command printed for the best trial (the seed's 10). */
export const DEFAULT_FINAL_EPOCHS = 10;

/** The train flags tune takes (all but --save, --resume and --force). */
const TRAIN_FLAGS_FOR_TUNE = Object.fromEntries(
  trainFlagsWhere((spec) => spec.tune !== 'none').map((name) => [name, TRAIN_FLAG_OPTIONS[name]]),
) as Omit<typeof TRAIN_FLAG_OPTIONS, 'save' | 'resume' | 'force'>;

const TUNE_FLAG_OPTIONS = {
  ...TRAIN_FLAGS_FOR_TUNE,
  'lr-find': { type: 'boolean' },
  'start-lr': { type: 'string' },
  'end-lr': { type: 'string' },
  steps: { type: 'string' },
  ascii: { type: 'boolean' },
  trials: { type: 'string' },
  eta: { type: 'string' },
  'no-halving': { type: 'boolean' },
  subset: { type: 'string' },
  holdout: { type: 'string' },
  mode: { type: 'string' },
  'grid-lrs': { type: 'string' },
  presets: { type: 'string' },
  optimizers: { type: 'string' },
  'batch-sizes': { type: 'string' },
  'hidden-sizes': { type: 'string' },
  'lr-min': { type: 'string' },
  'lr-max': { type: 'string' },
  'final-epochs': { type: 'string' },
  'save-default': { type: 'boolean' },
} as const;
type TuneFlagName = keyof typeof TUNE_FLAG_OPTIONS;
type TuneFlagValues = {
  [K in TuneFlagName]?: (typeof TUNE_FLAG_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** Flags of the finder only (the train flags it takes: config/flags.ts), and of the search only; the rest serve both. */
const LR_FIND_ONLY: readonly TuneFlagName[] = [
  'start-lr',
  'end-lr',
  'steps',
  'ascii',
  ...(trainFlagsWhere((spec) => (spec.tune ?? 'lr-find') === 'lr-find') as TuneFlagName[]),
];
const SEARCH_ONLY: readonly TuneFlagName[] = [
  'trials',
  'epochs',
  'eta',
  'no-halving',
  'subset',
  'holdout',
  'mode',
  'grid-lrs',
  'presets',
  'optimizers',
  'batch-sizes',
  'hidden-sizes',
  'lr-min',
  'lr-max',
  'final-epochs',
];
/** What to use in the search instead of a finder-only flag. */
const SEARCH_INSTEAD: Partial<Record<TuneFlagName, string>> = {
  preset: '--presets',
  optimizer: '--optimizers',
  'batch-size': '--batch-sizes',
  hidden: '--hidden-sizes',
  lr: '--lr-min and --lr-max',
};

const HELP_POINTER = "(see 'fmnist-tui tune --help')";

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
    'model presets: seed (ends in ReLU), recommended (does not)',
    DEFAULT_SEARCH_SPACE.presets.join(','),
  ),
  row('--optimizers LIST', OPTIMIZERS.join(', '), DEFAULT_SEARCH_SPACE.optimizers.join(',')),
  row('--batch-sizes LIST', 'batch sizes to try', DEFAULT_SEARCH_SPACE.batchSizes.join(',')),
  row('--hidden-sizes LIST', "hidden layer sizes to try, models separated by '/', e.g. 512,512/256", "each preset's"),
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

/** The search space and budget from flags; every bad value is one line. */
export function searchSettingsFromValues(values: TuneFlagValues): {
  space: SearchSpace;
  budget: SearchBudget;
  mode: SearchMode;
  seed: number;
  finalEpochs: number;
  /** Score on this many held-out training images instead of the test set. */
  holdout?: number;
} {
  const seed = parseInteger('--seed', values.seed, 0);
  if (seed < 0) throw new UsageError(`--seed must be a whole number of at least 0 (got ${seed})`);
  const mode = parseChoice('--mode', values.mode, SEARCH_MODES, 'random');
  const presets =
    values.presets === undefined
      ? DEFAULT_SEARCH_SPACE.presets
      : parseList('--presets', values.presets).map((p) =>
          parseChoice('--presets', p, PRESET_NAMES, 'seed' as PresetName),
        );
  const optimizers =
    values.optimizers === undefined
      ? DEFAULT_SEARCH_SPACE.optimizers
      : parseList('--optimizers', values.optimizers).map((o) =>
          parseChoice('--optimizers', o, OPTIMIZERS, 'sgd' as OptimizerName),
        );
  const batchSizes =
    values['batch-sizes'] === undefined
      ? DEFAULT_SEARCH_SPACE.batchSizes
      : parseList('--batch-sizes', values['batch-sizes']).map((b) => parseInteger('--batch-sizes', b, 0));
  const hidden =
    values['hidden-sizes'] === undefined
      ? DEFAULT_SEARCH_SPACE.hidden
      : parseList('--hidden-sizes', values['hidden-sizes'], { separator: '/' }).map((model) =>
          parseList('--hidden-sizes', model).map((u) => parseInteger('--hidden-sizes', u, 0)),
        );
  let learningRates = DEFAULT_SEARCH_SPACE.learningRates;
  if (values['lr-min'] !== undefined || values['lr-max'] !== undefined) {
    if (values['lr-min'] === undefined || values['lr-max'] === undefined)
      throw new UsageError(`give both --lr-min and --lr-max (one range for every optimizer) ${HELP_POINTER}`);
    const range = {
      min: parseNumber('--lr-min', values['lr-min'], 0),
      max: parseNumber('--lr-max', values['lr-max'], 0),
    };
    learningRates = { sgd: range, adam: range, rmsprop: range, adamw: range };
  }
  const gridLearningRates = parseInteger('--grid-lrs', values['grid-lrs'], DEFAULT_SEARCH_SPACE.gridLearningRates);
  const space = validateSearchSpace({ presets, hidden, optimizers, batchSizes, learningRates, gridLearningRates });
  const budget: SearchBudget = {
    trials: parseInteger('--trials', values.trials, DEFAULT_BUDGET.trials),
    epochs: parseInteger('--epochs', values.epochs, DEFAULT_BUDGET.epochs),
    eta: parseInteger('--eta', values.eta, DEFAULT_BUDGET.eta),
    halving: !(values['no-halving'] ?? false),
    subset: values.subset === undefined ? undefined : parseInteger('--subset', values.subset, 0),
  };
  if (mode === 'grid' && values.trials !== undefined)
    throw new UsageError(`--trials applies to --mode random; a grid tries every combination ${HELP_POINTER}`);
  validateBudget(budget);
  const holdout = values.holdout === undefined ? undefined : parseInteger('--holdout', values.holdout, 0);
  if (holdout !== undefined && holdout < 10)
    throw new UsageError(`--holdout must be a whole number of at least 10 images, one per class (got ${holdout})`);
  const finalEpochs = parseInteger('--final-epochs', values['final-epochs'], DEFAULT_FINAL_EPOCHS);
  if (finalEpochs < 1) throw new UsageError(`--final-epochs must be a whole number of at least 1 (got ${finalEpochs})`);
  return { space, budget, mode, seed, finalEpochs, holdout };
}

function checkModeFlags(values: TuneFlagValues): void {
  const given = (Object.keys(values) as TuneFlagName[]).filter((k) => values[k] !== undefined);
  if (values['lr-find']) {
    const wrong = given.find((k) => SEARCH_ONLY.includes(k));
    if (wrong) throw new UsageError(`--${wrong} is a search flag; --lr-find runs the finder only ${HELP_POINTER}`);
  } else {
    const wrong = given.find((k) => LR_FIND_ONLY.includes(k));
    if (wrong) {
      const instead = SEARCH_INSTEAD[wrong];
      throw new UsageError(
        `--${wrong} applies to --lr-find${instead ? `; the search takes ${instead}` : ''} ${HELP_POINTER}`,
      );
    }
  }
}

const n = (x: number) => x.toLocaleString('en-US');

/** ASCII when asked, or when the terminal is unlikely to draw braille. */
export function plotCharset(ascii: boolean, env: NodeJS.ProcessEnv): PlotCharset {
  if (ascii || env.TERM === 'dumb' || env.TERM === 'linux') return 'ascii';
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  if (locale !== '' && !/utf-?8/i.test(locale)) return 'ascii';
  return 'braille';
}

/** The finder's plot and verdict as lines (no colour). */
export function lrFinderReport(result: LrFinderResult, options: { width: number; charset: PlotCharset }): string[] {
  const lines = ['smoothed loss vs learning rate (log scale)', ...renderLrFinderPlot(result, options)];
  const steps = result.learningRates.length;
  const lastLr = result.learningRates[steps - 1];
  if (result.reason === 'diverged')
    lines.push(
      `stopped after ${steps} of ${result.steps} steps at lr ${formatLearningRate(roundSuggestion(lastLr))}: the smoothed loss passed 4× its minimum`,
    );
  else if (result.reason === 'aborted') lines.push(`stopped after ${steps} of ${result.steps} steps (Ctrl-C)`);
  else lines.push(`ran all ${steps} steps up to lr ${formatLearningRate(result.endLr)} without diverging`);
  return lines;
}

async function runLrFind(values: TuneFlagValues, ctx: CommandContext): Promise<number> {
  const trainValues = Object.fromEntries(
    Object.entries(values).filter(([k]) => k in TRAIN_FLAG_OPTIONS),
  ) as TrainFlagValues;
  const config = trainConfigFromValues(trainValues, { command: 'tune' });
  const startLr = parseNumber('--start-lr', values['start-lr'], LR_FINDER_DEFAULTS.startLr);
  const endLr = parseNumber('--end-lr', values['end-lr'], LR_FINDER_DEFAULTS.endLr);
  const steps = parseInteger('--steps', values.steps, LR_FINDER_DEFAULTS.steps);
  validateLrFinderOptions({ startLr, endLr, steps, batchSize: config.hyperparameters.batchSize });
  const explicitLr = (config.explicit as readonly TrainFlagName[]).includes('lr');
  if (explicitLr)
    throw new UsageError(`--lr is what --lr-find finds; use --start-lr and --end-lr for its range ${HELP_POINTER}`);

  return withInterrupt(ctx.stderr, 'stopping…', async (signal) => {
    const dataset = await loadRunData(ctx, config.dataDir, signal);
    const hp = resolveHyperparameters(config, dataset.train.count);
    const parameters =
      config.initWeights !== undefined
        ? (await readWeights(config.initWeights, config.spec)).parameters
        : initParameters(config.spec, hp.seed);
    const engine = await createEngine(
      config.engine,
      {
        spec: config.spec,
        loss: hp.loss,
        labelSmoothing: hp.labelSmoothing,
        optimizer: hp.optimizer,
        parameters,
      },
      engineRuntimeFromEnv(ctx.env),
    );
    let result: LrFinderResult;
    try {
      writeLine(ctx.stderr, `data:   ${dataset.source.description}: ${n(dataset.train.count)} train images`);
      writeLine(ctx.stderr, `engine: ${engine.name} (${engine.backend})`);
      writeLine(
        ctx.stderr,
        `model:  ${describeModel(config.spec)}; ${hp.optimizer.kind}, batch ${hp.batchSize}, ${hp.loss}`,
      );
      writeLine(
        ctx.stderr,
        `lr-find: ${formatLearningRate(startLr)} → ${formatLearningRate(endLr)} over ${steps} steps, seed ${hp.seed}`,
      );
      result = await findLearningRate({
        engine,
        train: dataset.train,
        batchSize: hp.batchSize,
        startLr,
        endLr,
        steps,
        seed: hp.seed,
        signal,
      });
    } finally {
      await engine.dispose();
    }
    const s = result.suggestion;
    const suggested = s ? roundSuggestion(s.learningRate) : undefined;
    const flags = suggested === undefined ? undefined : trainFlagsFor(trainValues, suggested);
    if (config.json) {
      ctx.stdout.write(
        JSON.stringify({
          type: 'lrFind',
          reason: result.reason,
          seconds: result.seconds,
          batchSize: result.batchSize,
          optimizer: hp.optimizer.kind,
          suggestion: s ? { ...s, learningRate: suggested } : null,
          command: flags ? `fmnist-tui train ${flags.join(' ')}` : null,
          learningRates: result.learningRates,
          losses: result.losses,
          smoothedLosses: result.smoothedLosses,
        }) + '\n',
      );
    } else {
      const width = Math.max(40, Math.min(100, (ctx.stdout.columns ?? 80) - 1));
      for (const line of lrFinderReport(result, { width, charset: plotCharset(values.ascii ?? false, ctx.env) }))
        writeLine(ctx.stdout, line);
      if (s && suggested !== undefined && flags) {
        const how = explainSuggestion(s);
        writeLine(
          ctx.stdout,
          `suggested learning rate: ${formatLearningRate(suggested)} (${how}; steepest descent at ${formatLearningRate(roundSuggestion(s.steepest))})`,
        );
        writeLine(ctx.stdout, `  fmnist-tui train ${flags.join(' ')}`);
      } else
        writeLine(ctx.stdout, 'no suggestion: too few steps ran; give more --steps or a wider --start-lr/--end-lr');
      writeLine(ctx.stdout, `took ${result.seconds.toFixed(1)} s; the weights are unchanged`);
    }
    if (values['save-default'] && suggested !== undefined) {
      const store = openSettings({ env: ctx.env });
      store.save({ spec: config.spec, hyperparameters: { ...hp, learningRate: suggested }, engine: config.engine });
      writeLine(
        ctx.stderr,
        `saved as the default: lr ${formatLearningRate(suggested)} with this model and optimizer (${store.path})`,
      );
    }
    return result.reason === 'aborted' ? EXIT_INTERRUPTED : 0;
  });
}

/** The user's train flags with --lr set to the suggestion (finder-only flags dropped). */
function trainFlagsFor(values: TrainFlagValues, lr: number): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(values) as [TrainFlagName, string | boolean | undefined][]) {
    if (v === undefined || k === 'json' || k === 'help' || k === 'lr' || k === 'data-dir') continue;
    if (v === true) out.push(`--${k}`);
    else if (v !== false) out.push(`--${k}`, /^[\w.,:/@+-]+$/.test(v) ? v : JSON.stringify(v));
  }
  out.push('--lr', formatLearningRate(lr));
  return out;
}

/** Training and scoring splits: the test set, or a balanced, seeded hold-out from the training set. */
function searchSplits(
  dataset: LoadedDataset,
  holdout: number | undefined,
  seed: number,
): { train: Split; score: Split } {
  if (holdout === undefined) return { train: dataset.train, score: dataset.test };
  if (holdout >= dataset.train.count)
    throw new UsageError(
      `--holdout ${holdout} leaves nothing to train on (the training set has ${dataset.train.count} images)`,
    );
  const kept = balancedSubsetIndices(dataset.train.labels, holdout, deriveSeed(seed, HOLDOUT_STREAM));
  return {
    train: selectExamples(dataset.train, complementIndices(dataset.train.count, kept)),
    score: selectExamples(dataset.train, kept),
  };
}
const HOLDOUT_STREAM = 0x401d;

/** Redraws a block of lines in place on a TTY; elsewhere prints nothing until asked. */
class LiveBlock {
  private drawn = 0;
  constructor(private readonly out: CommandContext['stdout']) {}
  draw(lines: readonly string[]): void {
    const width = this.out.columns ?? 200;
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const l of lines) text += `\x1b[2K${l.length > width - 1 ? l.slice(0, width - 1) : l}\n`;
    for (let i = lines.length; i < this.drawn; i++) text += '\x1b[2K\n';
    const extra = Math.max(0, this.drawn - lines.length);
    if (extra > 0) text += `\x1b[${extra}A`;
    this.out.write(text);
    this.drawn = lines.length;
  }
}

async function runTuneSearch(values: TuneFlagValues, ctx: CommandContext): Promise<number> {
  const { space, budget, mode, seed, finalEpochs, holdout } = searchSettingsFromValues(values);
  const engineName: EngineName = parseChoice('--engine', values.engine, ENGINE_NAMES, DEFAULT_ENGINE);
  if (values['data-dir'] !== undefined && values['data-dir'].trim() === '')
    throw new UsageError(`--data-dir needs a path ${HELP_POINTER}`);
  const trials = planTrials(space, mode, budget.trials, seed);
  const json = values.json ?? false;
  const tty = !json && ctx.stdout.isTTY === true;

  return withInterrupt(ctx.stderr, 'stopping…', async (signal) => {
    const dataset = await loadRunData(ctx, values['data-dir'], signal);
    const { train, score } = searchSplits(dataset, holdout, seed);
    validateSearchSpace(space, train.count);
    validateBudget(budget, train.count);
    const rungs = halvingPlan(budget, trials.length);
    const trainSize = budget.subset ?? train.count;
    const scoredOn =
      holdout === undefined ? `${n(score.count)} test images` : `${n(score.count)} held-out training images`;
    writeLine(
      ctx.stderr,
      `data:   ${dataset.source.description}: ${n(dataset.train.count)} train / ${n(dataset.test.count)} test images`,
    );
    writeLine(
      ctx.stderr,
      `tune:   ${trials.length} trials (${mode}, seed ${seed}), ${budget.halving && rungs.length > 1 ? `successive halving ×${budget.eta} over ${rungs.map((r) => `${r.trials}@${r.epochs}`).join(' → ')} (trials@epochs)` : `${budget.epochs} epoch${budget.epochs === 1 ? '' : 's'} each`}: ${planEpochs(rungs)} epochs of ${n(trainSize)} images${budget.subset ? ' (balanced subset)' : ''}, scored on ${scoredOn}`,
    );
    const runtime = engineRuntimeFromEnv(ctx.env);
    let engineLine = false;
    const createLogged = async (o: Parameters<typeof createEngine>[1]): Promise<Engine> => {
      const e = await createEngine(engineName, o, runtime);
      if (!engineLine) writeLine(ctx.stderr, `engine: ${e.name} (${e.backend})`);
      engineLine = true;
      return e;
    };

    const states = new Map<number, TrialState>();
    const live = tty ? new LiveBlock(ctx.stdout) : undefined;
    let headerPrinted = false;
    let status = '';
    let lastDraw = 0;
    const draw = (force = false) => {
      if (!live) return;
      const now = performance.now();
      if (!force && now - lastDraw < 100) return;
      lastDraw = now;
      live.draw([...renderTrialTable(rankTrials([...states.values()])), status]);
    };
    const printFinished = (t: TrialState) => {
      if (tty || json) return;
      const table = renderTrialTable([t, ...[...states.values()]]);
      if (!headerPrinted) writeLine(ctx.stdout, table[0]);
      headerPrinted = true;
      writeLine(ctx.stdout, table[1]);
    };
    let end: Extract<SearchEvent, { type: 'searchEnd' }> | undefined;
    let rungIndex = 0;
    for await (const e of runSearch({ train, test: score, trials, budget, seed, createEngine: createLogged, signal })) {
      switch (e.type) {
        case 'searchBegin':
          for (const t of e.trials) states.set(t.id, t);
          draw(true);
          break;
        case 'trialBegin':
          states.set(e.trial.id, e.trial);
          status = `rung ${e.rung + 1}/${rungs.length}: trial #${e.trial.id} to ${rungs[e.rung].epochs} epoch${rungs[e.rung].epochs === 1 ? '' : 's'}…`;
          rungIndex = e.rung;
          draw(true);
          break;
        case 'trialProgress': {
          const pct = Math.floor((100 * e.samplesSeen) / e.trainSize);
          status = `rung ${rungIndex + 1}/${rungs.length}: trial #${e.id}, epoch ${e.epoch}, ${pct}%, loss ${e.loss.toFixed(4)}`;
          draw();
          break;
        }
        case 'trialEpoch':
          states.set(e.trial.id, e.trial);
          if (e.trial.status === 'diverged') printFinished(e.trial);
          draw(true);
          break;
        case 'rungEnd':
          for (const id of e.stopped) {
            const t = { ...states.get(id)!, status: 'stopped' as const };
            states.set(id, t);
            printFinished(t);
          }
          for (const id of e.kept) {
            const t = states.get(id)!;
            states.set(id, { ...t, status: rungIndex === rungs.length - 1 ? 'done' : 'pending' });
          }
          if (!tty && !json && rungs.length > 1 && e.rung < rungs.length - 1)
            writeLine(
              ctx.stdout,
              `-- after ${e.epochs} epoch${e.epochs === 1 ? '' : 's'}: kept ${e.kept.map((id) => `#${id}`).join(' ')}`,
            );
          draw(true);
          break;
        case 'searchEnd':
          end = e;
          for (const t of e.ranking) states.set(t.id, t);
          break;
      }
    }
    if (!end) throw new Error('search ended without a final event');
    if (!tty && !json) for (const t of end.ranking) if (t.status === 'done') printFinished(t);
    if (live) {
      status = `${end.reason === 'aborted' ? 'stopped (Ctrl-C)' : 'finished'} in ${end.seconds.toFixed(1)} s`;
      draw(true);
    }
    const best = end.best;
    const command = best ? trainCommand(best.config, { epochs: finalEpochs, seed }) : undefined;
    if (json) {
      ctx.stdout.write(
        JSON.stringify({
          type: 'tune',
          reason: end.reason,
          seconds: end.seconds,
          mode,
          seed,
          budget,
          scoredOn: holdout === undefined ? 'test' : 'holdout',
          rungs,
          best: best
            ? {
                ...best.config,
                spec: trialSpec(best.config),
                epochsTrained: best.epochs,
                testAccuracy: best.testAccuracy,
                testLoss: best.testLoss,
                flags: trainFlags(best.config, { epochs: finalEpochs, seed }),
                command,
              }
            : null,
          trials: end.ranking,
        }) + '\n',
      );
    } else {
      if (!tty)
        writeLine(
          ctx.stdout,
          `${end.reason === 'aborted' ? 'stopped (Ctrl-C)' : 'finished'} in ${end.seconds.toFixed(1)} s`,
        );
      if (best) {
        const c = best.config;
        writeLine(
          ctx.stdout,
          `best: #${c.id} ${trialCells(best)[1]}, ${c.optimizer}, lr ${formatLearningRate(c.learningRate)}, batch ${c.batchSize}: ${(100 * best.testAccuracy!).toFixed(1)}% test accuracy after ${best.epochs} epoch${best.epochs === 1 ? '' : 's'}`,
        );
        writeLine(ctx.stdout, `  ${command}`);
      } else
        writeLine(
          ctx.stdout,
          'no trial finished an epoch; try lower learning rates (--lr-min/--lr-max) or a larger budget',
        );
    }
    if (values['save-default']) {
      if (!best) throw new UserError('nothing to save as the default: no trial finished an epoch');
      const store = openSettings({ env: ctx.env });
      store.save({
        spec: trialSpec(best.config),
        hyperparameters: trialHyperparameters(best.config, { epochs: finalEpochs, seed }),
        engine: engineName,
      });
      writeLine(ctx.stderr, `saved as the default (${store.path})`);
    }
    return end.reason === 'aborted' ? EXIT_INTERRUPTED : 0;
  });
}

export async function runTune(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseFlags('tune', argv, TUNE_FLAG_OPTIONS);
  if (values.help) {
    ctx.stdout.write(TUNE_HELP);
    return 0;
  }
  checkModeFlags(values);
  return values['lr-find'] ? runLrFind(values, ctx) : runTuneSearch(values, ctx);
}
