/** Accumulates the seed's test_loop over evaluation chunks. */
export interface TestTally {
  /** Sum over test batches of each batch's mean loss. */
  batchMeanSum: number;
  batches: number;
  correct: number;
  size: number;
}

export function emptyTally(): TestTally {
  return { batchMeanSum: 0, batches: 0, correct: 0, size: 0 };
}

/**
 * Adds one evaluated chunk whose length is a multiple of `batchSize` (or the split's tail):
 * per-sample losses are grouped into the DataLoader's batches of `batchSize`.
 */
export function tallyChunk(
  tally: TestTally,
  losses: Float32Array,
  predictions: Uint8Array,
  labels: Uint8Array,
  count: number,
  batchSize: number,
): void {
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    let sum = 0;
    for (let i = start; i < end; i++) sum += losses[i];
    tally.batchMeanSum += sum / (end - start);
    tally.batches++;
  }
  for (let i = 0; i < count; i++) if (predictions[i] === labels[i]) tally.correct++;
  tally.size += count;
}

/** test_loss = mean of the batch-mean losses (seed: test_loss /= num_batches); accuracy = correct / size. */
export function finishTally(tally: TestTally): { testLoss: number; testAccuracy: number } {
  return {
    testLoss: tally.batches > 0 ? tally.batchMeanSum / tally.batches : NaN,
    testAccuracy: tally.size > 0 ? tally.correct / tally.size : NaN,
  };
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length > 0 ? sum / values.length : NaN;
}
