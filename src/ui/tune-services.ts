// The session's tune ports (services.ts: Services.findLearningRate and Services.search)
// implemented over the finder and the search, so real-services.ts can wire them in one line each.
import type { EngineRuntime } from '../engines/index.js';
import type { ModelSpec } from '../core/model/spec.js';
import { DEFAULT_BUDGET, type SearchBudget } from '../core/tune/halving.js';
import { roundSuggestion } from '../core/tune/lr-plot.js';
import { trialHyperparameters, type TrialState } from '../core/tune/report.js';
import { trialSpec, type SearchSpace } from '../core/tune/search-space.js';
import type { LrFinderResult as UiLrFinderResult, SearchResult, SearchTrial, TuneRequest } from './services.js';
import { findLearningRateFor, searchFor } from '../tune/sessions.js';

/** Services.findLearningRate: the range test for the form's model and hyperparameters (curve = smoothed loss). */
export async function findLearningRateService(
  request: TuneRequest,
  signal: AbortSignal,
  runtime: EngineRuntime = {},
): Promise<UiLrFinderResult> {
  const r = await findLearningRateFor({
    runtime,
    engine: request.engine,
    spec: request.spec,
    hyperparameters: request.hyperparameters,
    train: request.dataset.train,
    signal,
  });
  if (signal.aborted) throw Object.assign(new Error('the learning-rate finder was cancelled'), { name: 'AbortError' });
  if (!r.suggestion) throw new Error('the learning-rate finder ran too few steps to suggest anything');
  return {
    learningRates: r.learningRates,
    losses: r.smoothedLosses,
    suggestion: roundSuggestion(r.suggestion.learningRate),
  };
}

/** A search trial as the TUI shows and applies it; `spec` is the model the trial trained (an addition to SearchTrial). */
export type UiSearchTrial = SearchTrial & { readonly spec: ModelSpec };

function toUiTrial(t: TrialState, request: TuneRequest, of?: number): UiSearchTrial {
  const hp = request.hyperparameters;
  return {
    id: t.id,
    spec: trialSpec(t.config),
    hyperparameters: { ...trialHyperparameters(t.config, { epochs: hp.epochs, seed: hp.seed }), loss: 'cross_entropy' },
    testAccuracy: t.testAccuracy ?? Number.NaN,
    testLoss: t.testLoss ?? Number.NaN,
    seconds: t.seconds,
    epochs: t.epochs,
    of,
    status: t.status === 'done' ? 'done' : t.status === 'stopped' || t.status === 'diverged' ? 'stopped' : 'running',
  };
}

/** Services.search: the default budgeted search (8 trials, ≤ 3 epochs, halving), seeded by the form's seed. */
export async function searchService(
  request: TuneRequest,
  onTrial: (trial: UiSearchTrial) => void,
  signal: AbortSignal,
  options: { readonly space?: SearchSpace; readonly budget?: SearchBudget; readonly runtime?: EngineRuntime } = {},
): Promise<SearchResult & { best?: UiSearchTrial }> {
  let result: (SearchResult & { best?: UiSearchTrial }) | undefined;
  const budget = options.budget ?? DEFAULT_BUDGET;
  for await (const e of searchFor({
    engine: request.engine,
    train: request.dataset.train,
    test: request.dataset.test,
    space: options.space,
    budget,
    seed: request.hyperparameters.seed,
    signal,
    runtime: options.runtime,
  })) {
    // Every trial shows from its start (a loaded machine left the table empty for 16 s).
    if (e.type === 'trialEpoch' || e.type === 'trialBegin') {
      onTrial(toUiTrial(e.trial, request, budget.trials));
    } else if (e.type === 'searchEnd') {
      result = {
        trials: e.ranking.filter((t) => t.testAccuracy !== undefined).map((t) => toUiTrial(t, request, budget.trials)),
        best: e.best && toUiTrial(e.best, request, budget.trials),
      };
    }
  }
  if (!result) throw new Error('the search ended without a result');
  return result;
}
