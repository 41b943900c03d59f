import { PIXELS } from '../../core/dataset/types.js';
import type { TrainBatch } from '../../core/train/engine.js';

/** Throws unless every batch has a whole count of at least 1 and enough pixels and labels for it. */
export function checkTrainBatches(batches: readonly TrainBatch[]): void {
  for (let s = 0; s < batches.length; s++) {
    const b = batches[s];
    if (!(Number.isInteger(b.count) && b.count >= 1) || b.images.length < b.count * PIXELS || b.labels.length < b.count)
      throw new Error(
        `trainSteps: batch ${s} has ${b.images.length} pixels and ${b.labels.length} labels for count ${b.count}`,
      );
  }
}
