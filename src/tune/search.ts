import type { Split } from '../core/dataset/types.js';
import { engineOptionsFor, type Engine, type EngineOptions, type OptimizerState } from '../core/train/engine.js';
import type { LossName } from '../core/train/hyperparameters.js';
import { initParameters } from '../core/model/init.js';
import { deriveSeed } from '../core/random.js';
import type { NamedTensors } from '../core/tensors.js';
import {
  halvingPlan,
  planEpochs,
  rankTrials,
  survivors,
  validateBudget,
  type SearchBudget,
} from '../core/tune/halving.js';
import { trialSpec, type TrialConfig } from '../core/tune/search-space.js';
import { balancedSubsetIndices } from '../core/tune/subset.js';
import { trialHyperparameters, type TrialState } from '../core/tune/report.js';
import { selectExamples } from './batches.js';
import type { SearchEvent } from './search-events.js';
import { trainTrial } from './trial.js';

export interface SearchOptions {
  readonly train: Split;
  /** Where trials are scored (accuracy and loss after each epoch). */
  readonly test: Split;
  /** From planTrials (random or grid). */
  readonly trials: readonly TrialConfig[];
  readonly budget: SearchBudget;
  /** Seeds initial weights (the same for every trial of a model), data order and the subset. */
  readonly seed: number;
  /** Default cross_entropy (the seed's loss). */
  readonly loss?: LossName;
  /** Makes an engine for a model and optimizer; the search reuses one per (model, optimizer). */
  readonly createEngine: (options: EngineOptions) => Promise<Engine>;
  readonly signal?: AbortSignal;
  /** Optimizer steps per engine call (default 100): progress events come this often. Trials run through train(). */
  readonly stepsPerCall?: number;
}

export type { SearchEvent } from './search-events.js';

interface Pooled {
  readonly engine: Engine;
  readonly initial: NamedTensors;
  readonly freshState: OptimizerState;
}

/**
 * A budgeted search with successive halving, as an async generator of events (the CLI table and
 * the TUI both consume it). Each rung trains its trials up to the rung's epochs, scores them on
 * the test split, and keeps the best 1/eta for the next rung. Trials of the same model and
 * optimizer run back to back on one engine, their weights and optimizer state swapped in and out.
 */
export async function* runSearch(options: SearchOptions): AsyncGenerator<SearchEvent, void, undefined> {
  const { train, test, budget, seed, signal } = options;
  const started = performance.now();
  const loss = options.loss ?? 'cross_entropy';
  const perCall = Math.max(1, options.stepsPerCall ?? 100);
  validateBudget(budget, train.count);
  const indices =
    budget.subset !== undefined
      ? balancedSubsetIndices(train.labels, budget.subset, deriveSeed(seed, 0x5b))
      : undefined;
  // The subset as a split of its own (in its images' order): train() shuffles it per epoch like
  // `fmnist-tui train --shuffle --seed N` does, so a trial is the run its flags reproduce.
  const trainSplit = indices ? selectExamples(train, indices) : train;
  const trainSize = trainSplit.count;
  const rungs = halvingPlan(budget, options.trials.length);

  const states = new Map<number, TrialState>(
    options.trials.map((c) => [c.id, { id: c.id, config: c, status: 'pending', epochs: 0, seconds: 0 }]),
  );
  const saved = new Map<number, { parameters: NamedTensors; optimizer: OptimizerState }>();
  const pool = new Map<string, Pooled>();
  // The recipe's weight decay, label smoothing and one-cycle momentum are part of the engine's graphs.
  const engineKey = (c: TrialConfig) =>
    JSON.stringify([trialSpec(c), c.optimizer, c.recipe?.weightDecay, c.recipe?.labelSmoothing, c.recipe?.schedule]);
  const engineFor = async (c: TrialConfig): Promise<Pooled> => {
    const spec = trialSpec(c);
    const key = engineKey(c);
    let p = pool.get(key);
    if (!p) {
      const initial = initParameters(spec, seed);
      const hp = { ...trialHyperparameters(c, { epochs: 1, seed }), loss };
      const engine = await options.createEngine(engineOptionsFor(spec, hp, initial));
      p = { engine, initial, freshState: await engine.getOptimizerState() };
      pool.set(key, p);
    }
    return p;
  };
  const releaseUnless = async (key: string, nextKey: string | undefined) => {
    const p = pool.get(key);
    if (!p || key === nextKey) return;
    pool.delete(key);
    await p.engine.dispose();
  };
  const update = (id: number, patch: Partial<TrialState>): TrialState => {
    const s = { ...states.get(id)!, ...patch };
    states.set(id, s);
    return s;
  };

  yield { type: 'searchBegin', trials: [...states.values()], rungs, totalEpochs: planEpochs(rungs), trainSize };
  let active = options.trials.map((c) => c.id);
  let aborted = false;
  let lastRung: number[] = [];
  try {
    for (let r = 0; r < rungs.length && !aborted; r++) {
      const rung = rungs[r];
      // Trials sharing an engine run back to back, and each engine is disposed once its trials
      // of the rung are done: one engine alive at a time keeps memory flat (each holds
      // onnxruntime sessions); a later rung makes it again from the saved weights.
      const firstSeen = new Map<string, number>();
      active.forEach((id, i) => {
        const key = engineKey(states.get(id)!.config);
        if (!firstSeen.has(key)) firstSeen.set(key, i);
      });
      const order = [...active].sort(
        (a, b) =>
          firstSeen.get(engineKey(states.get(a)!.config))! - firstSeen.get(engineKey(states.get(b)!.config))! || a - b,
      );
      for (const [i, id] of order.entries()) {
        const nextKey = i + 1 < order.length ? engineKey(states.get(order[i + 1])!.config) : undefined;
        if (signal?.aborted) {
          aborted = true;
          break;
        }
        const state = states.get(id)!;
        const c = state.config;
        const { engine, initial, freshState } = await engineFor(c);
        const snapshot = saved.get(id);
        await engine.setParameters(snapshot?.parameters ?? initial);
        await engine.setOptimizerState(snapshot?.optimizer ?? freshState);
        yield { type: 'trialBegin', trial: update(id, { status: 'running' }), rung: r };
        const outcome = yield* trainTrial({
          engine,
          spec: trialSpec(c),
          hyperparameters: { ...trialHyperparameters(c, { epochs: rung.epochs, seed }), loss },
          train: trainSplit,
          test,
          signal,
          stepsPerCall: perCall,
          state: states.get(id)!,
          update: (patch) => update(id, patch),
        });
        if (outcome === 'aborted') aborted = true;
        const diverged = outcome === 'diverged';
        if (aborted) break;
        if (diverged) {
          saved.delete(id);
          await releaseUnless(engineKey(c), nextKey);
          continue;
        }
        if (r < rungs.length - 1) {
          const optimizer = await engine.getOptimizerState();
          saved.set(id, { parameters: await engine.getParameters(), optimizer });
        }
        await releaseUnless(engineKey(c), nextKey);
      }
      if (aborted) break;
      lastRung = active;
      const inRung = active.map((id) => states.get(id)!);
      const last = r === rungs.length - 1;
      const kept = survivors(inRung, last ? inRung.length : rungs[r + 1].trials);
      const stopped = active.filter((id) => !kept.includes(id) && states.get(id)!.status !== 'diverged');
      for (const id of stopped) {
        update(id, { status: 'stopped' });
        saved.delete(id);
      }
      for (const id of kept) update(id, { status: last ? 'done' : 'pending' });
      yield { type: 'rungEnd', rung: r, epochs: rung.epochs, kept, stopped };
      active = kept;
    }
  } finally {
    for (const p of pool.values()) await p.engine.dispose();
  }
  if (aborted)
    for (const s of states.values())
      if (s.status === 'running' || s.status === 'pending')
        update(s.id, { status: s.epochs > 0 ? 'stopped' : 'pending' });
  const ranking = rankTrials([...states.values()]);
  const candidates = rankTrials(
    (lastRung.length > 0 ? lastRung : [...states.keys()]).map((id) => states.get(id)!),
  ).filter((s) => s.testAccuracy !== undefined && !s.diverged);
  yield {
    type: 'searchEnd',
    reason: aborted ? 'aborted' : 'completed',
    ranking,
    best: candidates[0],
    seconds: (performance.now() - started) / 1000,
  };
}
