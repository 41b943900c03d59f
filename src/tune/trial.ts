// One search trial trained through the one training loop (core/train/loop.ts train()), so a trial and
// `fmnist-tui train` with the same settings train the same batches and print the same test loss.
import type { ModelSpec } from '../core/model/spec.js';
import type { Split } from '../core/dataset/types.js';
import type { Engine } from '../core/train/engine.js';
import type { Hyperparameters } from '../core/train/hyperparameters.js';
import { train } from '../core/train/loop.js';
import type { TrialState } from '../core/tune/report.js';
import type { SearchEvent } from './search-events.js';

export interface TrialRun {
  readonly engine: Engine;
  readonly spec: ModelSpec;
  /** The trial's settings, `epochs` being the rung's: train() continues from the trial's epochs so far. */
  readonly hyperparameters: Hyperparameters;
  readonly train: Split;
  /** Where the trial is scored after every epoch. */
  readonly test: Split;
  readonly signal?: AbortSignal;
  /** Optimizer steps per engine call: a progress event comes this often. */
  readonly stepsPerCall: number;
  /** The trial as it stands; `update` records a change and returns the new state. */
  readonly state: TrialState;
  readonly update: (patch: Partial<TrialState>) => TrialState;
}

export type TrialOutcome = 'trained' | 'diverged' | 'aborted';

/** Trains one trial up to the rung's epochs, yielding the search's progress and per-epoch events. */
export async function* trainTrial(run: TrialRun): AsyncGenerator<SearchEvent, TrialOutcome, undefined> {
  const { state, stepsPerCall } = run;
  let seconds = state.seconds;
  let epochBegan = performance.now();
  // Seconds of the epoch so far, its test pass included (the table's time column).
  const spent = () => (performance.now() - epochBegan) / 1000;
  for await (const e of train({
    engine: run.engine,
    dataset: { train: run.train, test: run.test },
    spec: run.spec,
    hyperparameters: run.hyperparameters,
    signal: run.signal,
    startEpoch: state.epochs + 1,
    stepsPerCall,
  })) {
    switch (e.type) {
      case 'epochBegin':
        epochBegan = performance.now();
        break;
      case 'batchEnd':
        if ((e.batch + 1) % stepsPerCall === 0 || e.samplesSeen >= e.trainSize)
          yield {
            type: 'trialProgress',
            id: state.id,
            epoch: e.epoch,
            samplesSeen: e.samplesSeen,
            trainSize: e.trainSize,
            loss: e.loss,
          };
        break;
      case 'error':
        seconds += spent();
        yield {
          type: 'trialEpoch',
          trial: run.update({ status: 'diverged', diverged: true, trainLoss: NaN, seconds }),
        };
        return 'diverged';
      case 'epochEnd': {
        seconds += spent();
        const bad = !Number.isFinite(e.testLoss);
        yield {
          type: 'trialEpoch',
          trial: run.update({
            epochs: e.epoch,
            trainLoss: e.trainLoss,
            testLoss: e.testLoss,
            testAccuracy: e.testAccuracy,
            seconds,
            ...(bad ? { status: 'diverged', diverged: true } : {}),
          }),
        };
        if (bad) return 'diverged';
        break;
      }
      case 'trainEnd':
        if (e.reason === 'aborted') return 'aborted';
        break;
    }
  }
  return 'trained';
}
