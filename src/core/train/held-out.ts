import { UsageError } from '../errors.js';
import { subsetSplit } from '../dataset/sample.js';
import { PIXELS, type Split } from '../dataset/types.js';
import { deriveSeed } from '../random.js';
import { balancedSubsetIndices, complementIndices } from '../tune/subset.js';
import type { Engine } from './engine.js';
import type { EpochMetrics } from './events.js';
import type { EarlyStop } from './hyperparameters.js';
import { emptyTally, finishTally, tallyChunk } from './metrics.js';

// Its own stream, so the validation split never shares a seed with shuffling or dropout.
const VALIDATION_STREAM = 0x5641;

/**
 * `--val N`: N training images held out, class-balanced (N/10 per class, the first N mod 10
 * classes one more) and chosen by the run's seed; both parts keep the set's order.
 */
export function splitValidation(train: Split, size: number, seed: number): { train: Split; val: Split } {
  if (!Number.isInteger(size) || size < 10)
    throw new UsageError(
      `the validation split must be a whole number of at least 10 images, one per class (got ${size})`,
    );
  if (size >= train.count)
    throw new UsageError(
      `a validation split of ${size} leaves nothing to train on (the training set has ${train.count} images)`,
    );
  const held = balancedSubsetIndices(train.labels, size, deriveSeed(seed, VALIDATION_STREAM));
  return { train: subsetSplit(train, complementIndices(train.count, held)), val: subsetSplit(train, held) };
}

/** Test images per engine.evaluate call: whole batches, about 2,000 images. */
function evaluationChunk(batchSize: number): number {
  return batchSize * Math.max(1, Math.floor(2048 / batchSize));
}

/** The seed's test_loop over a split: batches of batch_size, loss averaged per batch, then over batches. */
export async function evaluateSplit(
  engine: Engine,
  split: Split,
  batchSize: number,
  yieldToEventLoop: () => Promise<void>,
): Promise<{ loss: number; accuracy: number }> {
  const tally = emptyTally();
  const chunk = evaluationChunk(batchSize);
  for (let start = 0; start < split.count; start += chunk) {
    const count = Math.min(chunk, split.count - start);
    const images = split.images.subarray(start * PIXELS, (start + count) * PIXELS);
    const labels = split.labels.subarray(start, start + count);
    const result = await engine.evaluate(images, labels, count);
    tallyChunk(tally, result.losses, result.predictions, labels, count, batchSize);
    await yieldToEventLoop();
  }
  const { testLoss, testAccuracy } = finishTally(tally);
  return { loss: testLoss, accuracy: testAccuracy };
}

/** The held-out value early stopping and the best epoch follow: validation if there is a split, else test. */
export function monitoredValue(m: EpochMetrics, monitor: EarlyStop['monitor']): number {
  if (monitor === 'accuracy') return m.valAccuracy ?? m.testAccuracy;
  return m.valLoss ?? m.testLoss;
}

/** What is monitored, for messages: "validation loss", "test accuracy". */
export function monitoredName(m: EpochMetrics, monitor: EarlyStop['monitor']): string {
  return `${m.valLoss !== undefined ? 'validation' : 'test'} ${monitor}`;
}

/**
 * The best epoch so far (Keras' EarlyStopping with min_delta 0: strictly lower loss or strictly
 * higher accuracy is an improvement) and the epochs since it.
 */
export class BestEpoch {
  epoch = 0;
  value = NaN;
  since = 0;
  constructor(private readonly monitor: EarlyStop['monitor']) {}

  /** Takes a finished epoch; true when it is the new best. */
  update(m: EpochMetrics): boolean {
    const v = monitoredValue(m, this.monitor);
    const better =
      this.epoch === 0 || (Number.isFinite(v) && (this.monitor === 'loss' ? v < this.value : v > this.value));
    if (better) {
      this.epoch = m.epoch;
      this.value = v;
      this.since = 0;
    } else this.since++;
    return better;
  }
}

/** "stopped early after epoch 5: validation loss did not improve for 3 epochs (best 0.312345 at epoch 2)" */
export function earlyStopMessage(
  epochsCompleted: number,
  stop: { patience: number; monitored: string; bestEpoch: number; best: number },
): string {
  const best = stop.monitored.endsWith('accuracy') ? `${(100 * stop.best).toFixed(2)}%` : stop.best.toFixed(6);
  return (
    `stopped early after epoch ${epochsCompleted}: ${stop.monitored} did not improve for ${stop.patience} ` +
    `epoch${stop.patience === 1 ? '' : 's'} (best ${best} at epoch ${stop.bestEpoch})`
  );
}
