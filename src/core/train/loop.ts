import { UsageError } from '../errors.js';
import type { Split } from '../dataset/types.js';
import { parameterCount, type ModelSpec } from '../model/spec.js';
import { batchAt, dropoutSeed, epochOrder } from './batches.js';
import type { TrainController } from './controller.js';
import type { Engine, TrainBatch } from './engine.js';
import type { EpochMetrics, TrainingEvent } from './events.js';
import { stepsPerEpoch, validateHyperparameters, type Hyperparameters } from './hyperparameters.js';
import { BucketMeans } from '../analysis/downsample.js';
import { BestEpoch, evaluateSplit, monitoredName, splitValidation } from './held-out.js';
import { learningRateAt, momentumAt } from './schedule.js';
import { augmentBatch, augmentSeed, hasAugment } from './augment.js';
import type { NamedTensors } from '../tensors.js';
import { divergenceMessage } from './divergence.js';
import { LiveControl } from './live-control.js';

export interface TrainOptions {
  /** Holds the model's parameters and optimizer state (already initialised or restored). */
  readonly engine: Engine;
  /** Train and test splits (a Dataset fits). */
  readonly dataset: { readonly train: Split; readonly test: Split };
  readonly spec: ModelSpec;
  readonly hyperparameters: Hyperparameters;
  /** Aborting stops training after the current group of steps, like the abort command. */
  readonly signal?: AbortSignal;
  /** Live control: pause, resume, stop after this epoch, abort, add epochs, set learning rate. */
  readonly commands?: TrainController;
  /** Resume: first epoch to run, 1-based (a checkpoint's completed epochs + 1). Default 1. */
  readonly startEpoch?: number;
  /**
   * Resume: global step to start at (may fall inside startEpoch, e.g. after Ctrl-C). Default: the
   * start of startEpoch. A resumed epoch's trainLoss averages the batches run after resuming.
   */
  readonly startStep?: number;
  /** Resume: metrics of the epochs already done; trainEnd's history continues it. */
  readonly history?: readonly EpochMetrics[];
  /** Milliseconds clock, injectable for tests. Default performance.now. */
  readonly now?: () => number;
  /** Optimizer steps per engine.trainSteps call; small keeps the event loop responsive. Default 16. */
  readonly stepsPerCall?: number;
  /** Gives the event loop a turn between calls (timers, keys, signals). Default setImmediate. */
  readonly yieldToEventLoop?: () => Promise<void>;
  /**
   * Called with the weights of each new best epoch (by the monitored held-out metric) before the
   * next epoch trains: keep them for best.safetensors. Not called when absent (no copies made).
   */
  readonly onBestEpoch?: (epoch: number, parameters: NamedTensors) => void | Promise<void>;
}

const defaultYield = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * Trains `engine` on `dataset` epoch by epoch, yielding the one event stream the TUI and the
 * headless printer consume. Batches follow the seed's DataLoader (in order, last partial
 * batch included) or a shuffle derived from seed and epoch; each step's learning rate comes
 * from the schedule and each step's dropout seed from seed and global step, so a run resumed
 * from (startEpoch, startStep) trains exactly as the uninterrupted run would.
 *
 * The stream ends with exactly one `trainEnd` or one `error` (a NaN or infinite loss).
 * Exceptions thrown by the engine propagate to the consumer.
 */
export async function* train(options: TrainOptions): AsyncGenerator<TrainingEvent, void, void> {
  const { engine, dataset, spec, signal, commands } = options;
  const hp = validateHyperparameters(options.hyperparameters);
  const now = options.now ?? (() => performance.now());
  const yieldToEventLoop = options.yieldToEventLoop ?? defaultYield;
  const stepsPerCall = Math.max(1, Math.floor(options.stepsPerCall ?? 16));
  // --val: the same seeded split on every run and resume, so the held-out images are never trained on.
  const { train, val } =
    hp.validation !== undefined
      ? splitValidation(dataset.train, hp.validation, hp.seed)
      : { train: dataset.train, val: undefined };
  validateHyperparameters(hp, train.count);
  const test = dataset.test;
  const augment = hasAugment(hp.augment) ? hp.augment : undefined;
  const perEpoch = stepsPerEpoch(train.count, hp.batchSize);

  const startEpoch = options.startEpoch ?? 1;
  let step = options.startStep ?? (startEpoch - 1) * perEpoch;
  if (!Number.isInteger(startEpoch) || startEpoch < 1)
    throw new UsageError(`start epoch must be at least 1 (got ${startEpoch})`);
  if (!Number.isInteger(step) || step < (startEpoch - 1) * perEpoch || step >= startEpoch * perEpoch)
    throw new UsageError(
      `start step ${step} is not inside epoch ${startEpoch} (${perEpoch} steps per epoch); was the checkpoint made with another batch size or data set?`,
    );

  const history: EpochMetrics[] = [...(options.history ?? [])];
  const monitor = hp.earlyStop?.monitor ?? 'loss';
  const best = new BestEpoch(monitor);
  for (const m of history) best.update(m);
  const began = now();
  const live = new LiveControl({
    epochs: hp.epochs,
    learningRate: hp.learningRate,
    position: { epoch: startEpoch, batch: step - (startEpoch - 1) * perEpoch },
    now,
    commands,
    signal,
  });

  const currentHyperparameters = (): Hyperparameters => ({
    ...hp,
    learningRate: live.learningRate,
    epochs: live.epochs,
  });
  const lrAt = (s: number) => learningRateAt(hp.schedule, live.learningRate, s, live.epochs * perEpoch);

  yield {
    type: 'trainBegin',
    spec,
    hyperparameters: hp,
    engine: engine.name,
    backend: engine.backend,
    trainSize: train.count,
    testSize: test.count,
    valSize: val?.count ?? 0,
    stepsPerEpoch: perEpoch,
    startEpoch,
    parameterCount: parameterCount(spec),
  };

  let reason: 'completed' | 'stopped' | 'aborted' = 'completed';
  let epochsCompleted = startEpoch - 1;
  let earlyStop: Extract<TrainingEvent, { type: 'trainEnd' }>['earlyStop'];
  for (let epoch = startEpoch; epoch <= live.epochs; epoch++) {
    yield* live.control();
    if (live.aborted) {
      reason = 'aborted';
      break;
    }
    const order = epochOrder(train.count, hp.shuffle, hp.seed, epoch);
    let batch = step - (epoch - 1) * perEpoch;
    live.position = { epoch, batch };
    yield { type: 'epochBegin', epoch, epochs: live.epochs };

    const epochBegan = now();
    live.epochPausedMs = 0;
    let lossSum = 0;
    let lossCount = 0;
    let samples = 0;
    let lastLr = lrAt(step);
    const batchLoss = new BucketMeans(perEpoch - batch);
    while (batch < perEpoch) {
      yield* live.control();
      if (live.aborted) break;
      const n = Math.min(stepsPerCall, perEpoch - batch);
      const group: TrainBatch[] = [];
      for (let i = 0; i < n; i++) {
        const gathered = batchAt(train, hp.batchSize, batch + i, order);
        // Augmentation depends on the seed and the global step only: a resumed run draws the same.
        const data = augment ? augmentBatch(gathered, augment, augmentSeed(hp.seed, step + i)) : gathered;
        const momentum = momentumAt(hp.schedule, step + i, live.epochs * perEpoch);
        group.push({
          ...data,
          learningRate: lrAt(step + i),
          dropoutSeed: dropoutSeed(hp.seed, step + i),
          ...(momentum !== undefined && { momentum }),
        });
      }
      const losses = await engine.trainSteps(group);
      for (let i = 0; i < n; i++) {
        const loss = losses[i];
        const at = { epoch, batch: batch + i };
        if (!Number.isFinite(loss)) {
          yield {
            type: 'error',
            message: divergenceMessage(loss, at, group[i].learningRate, currentHyperparameters()),
            at,
          };
          return;
        }
        lossSum += loss;
        lossCount++;
        batchLoss.add(loss);
        samples += group[i].count;
        lastLr = group[i].learningRate;
        yield {
          type: 'batchEnd',
          epoch,
          batch: batch + i,
          step: step + i,
          loss,
          samplesSeen: Math.min((batch + i + 1) * hp.batchSize, train.count),
          count: group[i].count,
          trainSize: train.count,
          learningRate: group[i].learningRate,
        };
      }
      batch += n;
      step += n;
      live.position = { epoch, batch };
      await yieldToEventLoop();
    }
    if (batch < perEpoch) {
      reason = 'aborted';
      break;
    }
    const seconds = Math.max(0, now() - epochBegan - live.epochPausedMs) / 1000;

    // The seed's test_loop, on the test split and on the validation split.
    const tested = await evaluateSplit(engine, test, hp.batchSize, yieldToEventLoop);
    const validated = val && (await evaluateSplit(engine, val, hp.batchSize, yieldToEventLoop));
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossCount > 0 ? lossSum / lossCount : NaN,
      testLoss: tested.loss,
      testAccuracy: tested.accuracy,
      ...(validated && { valLoss: validated.loss, valAccuracy: validated.accuracy }),
      seconds,
      samplesPerSecond: seconds > 0 ? samples / seconds : 0,
      learningRate: lastLr,
      batchLoss: batchLoss.values(),
    };
    history.push(metrics);
    epochsCompleted = epoch;
    live.position = { epoch: epoch + 1, batch: 0 };
    if (best.update(metrics) && options.onBestEpoch) await options.onBestEpoch(epoch, await engine.getParameters());
    yield { type: 'epochEnd', epochs: live.epochs, ...metrics, bestEpoch: best.epoch };

    yield* live.takeCommands();
    if (live.aborted && epoch < live.epochs) {
      reason = 'aborted';
      break;
    }
    if (live.stopRequested && epoch < live.epochs) {
      reason = 'stopped';
      break;
    }
    if (hp.earlyStop && best.since >= hp.earlyStop.patience && epoch < live.epochs) {
      reason = 'stopped';
      earlyStop = {
        patience: hp.earlyStop.patience,
        monitored: monitoredName(metrics, monitor),
        bestEpoch: best.epoch,
        best: best.value,
      };
      break;
    }
  }

  yield {
    type: 'trainEnd',
    reason,
    epochsCompleted,
    at: live.position,
    seconds: Math.max(0, now() - began - live.runPausedMs) / 1000,
    history,
    step,
    hyperparameters: currentHyperparameters(),
    bestEpoch: best.epoch,
    ...(earlyStop && { earlyStop }),
  };
}
