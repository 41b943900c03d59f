// Entry points for the TUI and the CLI that start from settings rather than an Engine:
// they create the engine, run the finder or the search, and dispose of it.
import type { Split } from '../core/dataset/types.js';
import { initParameters } from '../core/model/init.js';
import type { ModelSpec } from '../core/model/spec.js';
import type { NamedTensors } from '../core/tensors.js';
import type { EngineName } from '../core/train/engine.js';
import type { Hyperparameters } from '../core/train/hyperparameters.js';
import { DEFAULT_BUDGET, type SearchBudget } from '../core/tune/halving.js';
import {
  DEFAULT_SEARCH_SPACE,
  planTrials,
  validateSearchSpace,
  type SearchMode,
  type SearchSpace,
} from '../core/tune/search-space.js';
import { createEngine, type EngineRuntime } from '../engines/index.js';
import { findLearningRate, type LrFinderOptions, type LrFinderResult } from './lr-finder.js';
import { runSearch, type SearchEvent } from './search.js';

export interface LrFinderSessionOptions extends Omit<LrFinderOptions, 'engine' | 'batchSize' | 'seed'> {
  readonly engine: EngineName;
  readonly spec: ModelSpec;
  /** Optimizer, loss, batch size and seed come from here (the learning rate is what is found). */
  readonly hyperparameters: Hyperparameters;
  /** Start from these weights (e.g. --init-weights); default: the seeded initialisation. */
  readonly parameters?: NamedTensors;
  /** Worker thread and threads (the session runs the ONNX engine in a worker). */
  readonly runtime?: EngineRuntime;
}

/** The range test for a model and its hyperparameters: the TUI's Hyperparameters step calls this. */
export async function findLearningRateFor(options: LrFinderSessionOptions): Promise<LrFinderResult> {
  const { engine: name, spec, hyperparameters: hp, parameters, runtime, ...rest } = options;
  const engine = await createEngine(
    name,
    {
      spec,
      loss: hp.loss,
      labelSmoothing: hp.labelSmoothing,
      optimizer: hp.optimizer,
      parameters: parameters ?? initParameters(spec, hp.seed),
    },
    runtime,
  );
  try {
    return await findLearningRate({ ...rest, engine, batchSize: hp.batchSize, seed: hp.seed });
  } finally {
    await engine.dispose();
  }
}

export interface SearchSessionOptions {
  readonly engine: EngineName;
  readonly train: Split;
  readonly test: Split;
  /** Default: DEFAULT_SEARCH_SPACE. */
  readonly space?: SearchSpace;
  /** Default: DEFAULT_BUDGET (8 trials, ≤ 3 epochs, halving ×2). */
  readonly budget?: SearchBudget;
  readonly mode?: SearchMode;
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly runtime?: EngineRuntime;
}

/** The search with defaults, engines made by name: iterate its events (searchEnd carries the best). */
export function searchFor(options: SearchSessionOptions): AsyncGenerator<SearchEvent, void, undefined> {
  const space = validateSearchSpace(options.space ?? DEFAULT_SEARCH_SPACE, options.train.count);
  const budget = options.budget ?? DEFAULT_BUDGET;
  const seed = options.seed ?? 0;
  return runSearch({
    train: options.train,
    test: options.test,
    trials: planTrials(space, options.mode ?? 'random', budget.trials, seed),
    budget,
    seed,
    signal: options.signal,
    createEngine: (o) => createEngine(options.engine, o, options.runtime),
  });
}
