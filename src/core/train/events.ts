import type { ModelSpec } from '../model/spec.js';
import type { Hyperparameters } from './hyperparameters.js';

/** Where training is, in the seed's terms: 1-based epoch, 0-based batch within it. */
export interface TrainPosition {
  readonly epoch: number;
  readonly batch: number;
}

export interface EpochMetrics {
  readonly epoch: number;
  /** Mean of the epoch's batch losses. */
  readonly trainLoss: number;
  /** The seed's test_loop: mean over test batches of the batch-mean loss. */
  readonly testLoss: number;
  /** Fraction correct on the test split, 0..1. */
  readonly testAccuracy: number;
  /** With a validation split (--val): the same two figures on it. */
  readonly valLoss?: number;
  readonly valAccuracy?: number;
  /** Wall-clock seconds of the epoch's training steps (the test pass excluded). */
  readonly seconds: number;
  readonly samplesPerSecond: number;
  /** Learning rate at the end of the epoch. */
  readonly learningRate: number;
  /** The epoch's batch losses as up to 50 bucket means, in order (absent in runs saved by older versions). */
  readonly batchLoss?: readonly number[];
}

/**
 * The one event stream `train()` yields; the TUI and the headless printer both consume it.
 * Serialisable as JSON (one object per line with --json).
 */
export type TrainingEvent =
  | {
      readonly type: 'trainBegin';
      readonly spec: ModelSpec;
      readonly hyperparameters: Hyperparameters;
      readonly engine: string;
      readonly backend: string;
      readonly trainSize: number;
      readonly testSize: number;
      /** Images held out from training for validation (0 without --val). */
      readonly valSize?: number;
      readonly stepsPerEpoch: number;
      /** First epoch to run (1-based; > 1 when resuming). */
      readonly startEpoch: number;
      readonly parameterCount: number;
    }
  | { readonly type: 'epochBegin'; readonly epoch: number; readonly epochs: number }
  | {
      readonly type: 'batchEnd';
      readonly epoch: number;
      /** 0-based batch index within the epoch. */
      readonly batch: number;
      /** Global optimizer step, 0-based. */
      readonly step: number;
      readonly loss: number;
      /** Images trained on in this epoch so far, this batch included. */
      readonly samplesSeen: number;
      /** Images in this batch (batch size, or fewer for the last partial batch). */
      readonly count?: number;
      readonly trainSize: number;
      readonly learningRate: number;
    }
  | ({
      readonly type: 'epochEnd';
      readonly epochs: number;
      /** The best epoch so far by the monitored held-out metric (early stopping's; default loss). */
      readonly bestEpoch?: number;
    } & EpochMetrics)
  | { readonly type: 'paused'; readonly at: TrainPosition }
  | { readonly type: 'resumed'; readonly at: TrainPosition }
  | { readonly type: 'learningRateChanged'; readonly learningRate: number }
  | { readonly type: 'epochsChanged'; readonly epochs: number }
  | {
      readonly type: 'trainEnd';
      /** completed: all epochs ran; stopped: stop-after-epoch; aborted: abort or Ctrl-C mid-epoch. */
      readonly reason: 'completed' | 'stopped' | 'aborted';
      /** Last epoch fully trained (0 if none). */
      readonly epochsCompleted: number;
      /** Where training stopped (the next batch that would have run). */
      readonly at: TrainPosition;
      readonly seconds: number;
      readonly history: readonly EpochMetrics[];
      /** Global optimizer steps done (where a checkpoint resumes from). */
      readonly step?: number;
      /** The hyperparameters as they ended (live learning-rate and epoch changes applied). */
      readonly hyperparameters?: Hyperparameters;
      /** The best epoch by the monitored held-out metric (0 if none finished). */
      readonly bestEpoch?: number;
      /** Set when early stopping ended the run (reason 'stopped'): why, in the user's terms. */
      readonly earlyStop?: {
        readonly patience: number;
        /** e.g. "validation loss" */
        readonly monitored: string;
        readonly bestEpoch: number;
        readonly best: number;
      };
    }
  | { readonly type: 'error'; readonly message: string; readonly at?: TrainPosition };

/** Commands sent to a running train() — the other direction of the stream. */
export type TrainingCommand =
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stopAfterEpoch' }
  | { readonly type: 'abort' }
  | { readonly type: 'addEpochs'; readonly count: number }
  | { readonly type: 'setLearningRate'; readonly learningRate: number };
