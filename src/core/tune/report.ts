import { formatLearningRate } from '../format.js';
import { applyRecipe, describeRecipe, recipeFlags } from './recipe-space.js';
import { OPTIMIZER_DEFAULTS, SEED_HYPERPARAMETERS, type Hyperparameters } from '../train/hyperparameters.js';
import type { Rankable } from './halving.js';
import { hasPresetHidden, type TrialConfig } from './search-space.js';

/** pending: not started; running; stopped: cut by successive halving; done: trained the full budget; diverged: loss NaN/∞. */
export type TrialStatus = 'pending' | 'running' | 'stopped' | 'done' | 'diverged';

/** A trial's state as the search goes: what the live table shows. */
export interface TrialState extends Rankable {
  readonly config: TrialConfig;
  readonly status: TrialStatus;
  /** Epochs trained so far. */
  readonly epochs: number;
  /** After the last finished epoch (test split): fraction correct, 0..1, and mean loss per image. */
  readonly testAccuracy?: number;
  readonly testLoss?: number;
  /** Mean batch loss of the last epoch. */
  readonly trainLoss?: number;
  /** Wall-clock seconds spent on this trial (training and evaluation). */
  readonly seconds: number;
}

/** Flags for `fmnist-tui train` that reproduce a trial's configuration (shuffled, as the search trained). */
export function trainFlags(config: TrialConfig, options: { epochs: number; seed: number }): string[] {
  const flags = ['--preset', config.preset];
  if (!hasPresetHidden(config)) flags.push('--hidden', config.hidden.join(','));
  flags.push(
    '--optimizer',
    config.optimizer,
    '--lr',
    formatLearningRate(config.learningRate),
    '--batch-size',
    String(config.batchSize),
    '--shuffle',
    '--epochs',
    String(options.epochs),
    '--seed',
    String(options.seed),
    ...recipeFlags(config.recipe),
  );
  return flags;
}

/** `fmnist-tui train …` as one line to copy. */
export function trainCommand(config: TrialConfig, options: { epochs: number; seed: number }): string {
  return ['fmnist-tui', 'train', ...trainFlags(config, options)].join(' ');
}

const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | undefined) => (x === undefined ? '—' : Number.isFinite(x) ? x.toFixed(4) : String(x));

const COLUMNS = ['#', 'model', 'optim', 'lr', 'batch', 'epoch', 'accuracy', 'loss', 'time', 'status'] as const;

/** One row's cells, in COLUMNS order. */
export function trialCells(t: TrialState): string[] {
  const c = t.config;
  const recipe = describeRecipe(c.recipe);
  const model = c.preset + (hasPresetHidden(c) ? '' : ` ${c.hidden.join(',')}`) + (recipe ? ` ${recipe}` : '');
  return [
    String(c.id),
    model,
    c.optimizer,
    formatLearningRate(c.learningRate),
    String(c.batchSize),
    String(t.epochs),
    pct(t.testAccuracy),
    num(t.testLoss),
    `${t.seconds.toFixed(1)}s`,
    t.status,
  ];
}

const RIGHT = new Set(['#', 'lr', 'batch', 'epoch', 'accuracy', 'loss', 'time']);

/** The trial table as lines of text (rows in the order given: rank them first). */
export function renderTrialTable(trials: readonly TrialState[]): string[] {
  const rows = [COLUMNS as readonly string[], ...trials.map(trialCells)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (RIGHT.has(COLUMNS[i]) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The Hyperparameters a trial's flags give `fmnist-tui train` (shuffled, constant lr,
 * cross-entropy, the optimizer's torch defaults): what --save-default stores and the TUI applies.
 */
export function trialHyperparameters(config: TrialConfig, options: { epochs: number; seed: number }): Hyperparameters {
  return applyRecipe(trialBase(config, options), config.recipe);
}

function trialBase(config: TrialConfig, options: { epochs: number; seed: number }): Hyperparameters {
  return {
    ...SEED_HYPERPARAMETERS,
    learningRate: config.learningRate,
    batchSize: config.batchSize,
    epochs: options.epochs,
    optimizer: OPTIMIZER_DEFAULTS[config.optimizer],
    shuffle: true,
    seed: options.seed,
  };
}
