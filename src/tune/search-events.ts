import type { Rung } from '../core/tune/halving.js';
import type { TrialState } from '../core/tune/report.js';

/** What runSearch yields: the CLI's table and the session's panel both consume it. */
export type SearchEvent =
  | {
      readonly type: 'searchBegin';
      readonly trials: readonly TrialState[];
      readonly rungs: readonly Rung[];
      /** Epochs of training the whole plan costs. */
      readonly totalEpochs: number;
      /** Images per epoch (the subset's size when there is one). */
      readonly trainSize: number;
    }
  | { readonly type: 'trialBegin'; readonly trial: TrialState; readonly rung: number }
  /** Within an epoch, after every engine call. */
  | {
      readonly type: 'trialProgress';
      readonly id: number;
      readonly epoch: number;
      readonly samplesSeen: number;
      readonly trainSize: number;
      readonly loss: number;
    }
  /** After each epoch's evaluation (or when a trial diverges). */
  | { readonly type: 'trialEpoch'; readonly trial: TrialState }
  | {
      readonly type: 'rungEnd';
      readonly rung: number;
      readonly epochs: number;
      readonly kept: readonly number[];
      readonly stopped: readonly number[];
    }
  | {
      readonly type: 'searchEnd';
      readonly reason: 'completed' | 'aborted';
      /** Every trial, best first. */
      readonly ranking: readonly TrialState[];
      /** The best trial of the last rung reached (undefined if none finished an epoch). */
      readonly best?: TrialState;
      readonly seconds: number;
    };
