// Training events folded into the Train step's state: loss history, speed, ETA, the epoch log.
import { earlyStopMessage } from '../../core/train/held-out.js';
import type { TrainingEvent } from '../../core/train/events.js';
import type { PreviewEvent } from '../services.js';
import type { AppState, LogEntry, TrainState } from '../state.js';

/** Loss points kept for the sparkline (older ones scroll off). */
export const LOSS_HISTORY = 1000;
/** Exponential smoothing of the batch loss (fastai/TensorBoard style). */
export const SMOOTHING = 0.9;

/**
 * Applies a flush of events; consecutive batch events are folded at once (one copy of the
 * loss arrays per flush rather than per batch: a flush holds ~100 ms of batches).
 */
export function foldTrainEvents(
  state: AppState,
  events: readonly (TrainingEvent | PreviewEvent)[],
  now: number,
): AppState {
  let s = state;
  let i = 0;
  while (i < events.length) {
    const e = events[i];
    if (e.type !== 'batchEnd') {
      s = trainEvent(s, e, now);
      i++;
      continue;
    }
    let j = i;
    while (j < events.length && events[j].type === 'batchEnd') j++;
    s = batchEvents(s, events.slice(i, j) as Extract<TrainingEvent, { type: 'batchEnd' }>[], now);
    i = j;
  }
  return s;
}

function batchEvents(
  state: AppState,
  batches: readonly Extract<TrainingEvent, { type: 'batchEnd' }>[],
  now: number,
): AppState {
  const t = state.train;
  const losses = t.losses.slice(Math.max(0, t.losses.length + batches.length - LOSS_HISTORY));
  const smoothed = t.smoothed.slice(Math.max(0, t.smoothed.length + batches.length - LOSS_HISTORY));
  let ema = t.smoothed.length === 0 ? undefined : t.smoothed[t.smoothed.length - 1];
  for (const b of batches) {
    ema = ema === undefined ? b.loss : SMOOTHING * ema + (1 - SMOOTHING) * b.loss;
    losses.push(b.loss);
    smoothed.push(ema);
  }
  const e = batches[batches.length - 1];
  const elapsed = t.epochStartedAt !== undefined ? (now - t.epochStartedAt) / 1000 : 0;
  const samplesPerSecond = elapsed > 0.05 ? e.samplesSeen / elapsed : t.samplesPerSecond;
  const remainingSamples = e.trainSize - e.samplesSeen + (t.epochs - e.epoch) * e.trainSize;
  return {
    ...state,
    train: {
      ...t,
      epoch: e.epoch,
      batch: e.batch,
      samplesSeen: e.samplesSeen,
      trainSize: e.trainSize,
      learningRate: e.learningRate,
      losses: losses.slice(-LOSS_HISTORY),
      smoothed: smoothed.slice(-LOSS_HISTORY),
      samplesPerSecond,
      epochEtaSeconds: samplesPerSecond > 0 ? (e.trainSize - e.samplesSeen) / samplesPerSecond : undefined,
      etaSeconds: samplesPerSecond > 0 ? remainingSamples / samplesPerSecond : undefined,
    },
  };
}

function trainEvent(state: AppState, e: TrainingEvent | PreviewEvent, now: number): AppState {
  const t = state.train;
  const set = (patch: Partial<TrainState>, log?: LogEntry): AppState => ({
    ...state,
    train: { ...t, ...patch },
    log: log ? [...state.log, log] : state.log,
  });
  switch (e.type) {
    case 'trainBegin':
      return set(
        {
          status: t.status === 'starting' ? 'running' : t.status,
          backend: e.backend,
          trainSize: e.trainSize,
          stepsPerEpoch: e.stepsPerEpoch,
          epochs: e.hyperparameters.epochs,
          learningRate: e.hyperparameters.learningRate,
        },
        {
          id: `run${t.runId}`,
          kind: 'runHeader',
          text: `run ${t.runId}: ${e.parameterCount.toLocaleString('en-US')} params, ${e.trainSize.toLocaleString('en-US')} images · ${e.backend}`,
        },
      );
    case 'epochBegin':
      return set({
        epoch: e.epoch,
        epochs: e.epochs,
        batch: 0,
        samplesSeen: 0,
        epochStartedAt: now,
        epochEtaSeconds: undefined,
      });
    case 'batchEnd':
      return batchEvents(state, [e], now);
    case 'epochEnd':
      return set(
        {
          history: [...t.history, e],
          epochs: e.epochs,
          samplesSeen: t.trainSize || t.samplesSeen,
          status: t.status === 'stopping' ? 'stopping' : t.status,
        },
        { id: `run${t.runId}-epoch${e.epoch}`, kind: 'epoch', metrics: e, epochs: e.epochs },
      );
    case 'preview':
      return set({ predictions: { epoch: e.epoch, items: e.predictions } });
    case 'paused':
      return set({ status: 'paused', pausedAt: now, notice: `paused at epoch ${e.at.epoch}, batch ${e.at.batch}` });
    case 'resumed': {
      // The pause does not count as training time: move the epoch's start forward by its length.
      const paused = t.pausedAt !== undefined ? now - t.pausedAt : 0;
      const epochStartedAt = t.epochStartedAt !== undefined ? t.epochStartedAt + paused : undefined;
      return set({
        status: t.status === 'paused' || t.status === 'pausing' ? 'running' : t.status,
        notice: 'resumed',
        pausedAt: undefined,
        epochStartedAt,
      });
    }
    case 'learningRateChanged':
      return set({ learningRate: e.learningRate });
    case 'epochsChanged':
      return set({ epochs: e.epochs });
    case 'trainEnd': {
      const why = e.reason === 'completed' ? 'finished' : e.reason === 'stopped' ? 'stopped' : 'aborted';
      return set(
        {
          status: 'finished',
          endReason: e.reason,
          stoppedEarly: e.earlyStop && earlyStopMessage(e.epochsCompleted, e.earlyStop),
          seconds: e.seconds,
          notice: undefined,
          etaSeconds: 0,
          epochEtaSeconds: 0,
        },
        {
          id: `run${t.runId}-end`,
          kind: 'note',
          text: e.earlyStop
            ? `training ${earlyStopMessage(e.epochsCompleted, e.earlyStop)} in ${e.seconds.toFixed(1)}s`
            : `training ${why} after ${e.epochsCompleted} epoch${e.epochsCompleted === 1 ? '' : 's'} in ${e.seconds.toFixed(1)}s`,
        },
      );
    }
    case 'error':
      return set({ status: 'error', error: e.message });
  }
}
