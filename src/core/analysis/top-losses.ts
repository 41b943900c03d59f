/**
 * The images a model got most confidently wrong (pure): fastai's `top_losses`, kept to the
 * mistakes. The loss is the cross-entropy of the true class, −log softmax(logits)[true],
 * computed in float64 from the logits (for a model that ends in LogSoftmax the softmax of its
 * log-probabilities is the same distribution, so the loss is its NLL).
 */
import { NUM_CLASSES } from '../dataset/types.js';

export interface TopLoss {
  /** Index of the image in the test split. */
  readonly index: number;
  readonly true: number;
  readonly predicted: number;
  /** The probability the model gave its (wrong) prediction. */
  readonly probability: number;
  /** −log of the probability it gave the true class. */
  readonly loss: number;
}

/** Per-image predicted class, its probability, and the cross-entropy of the true class. */
export function scoreLogits(
  logits: Float32Array,
  labels: ArrayLike<number>,
  count: number,
  classes = NUM_CLASSES,
): { predictions: Uint8Array; probabilities: Float64Array; losses: Float64Array } {
  if (logits.length < count * classes)
    throw new RangeError(`scoreLogits: ${logits.length} logits for ${count} images of ${classes} classes`);
  const predictions = new Uint8Array(count);
  const probabilities = new Float64Array(count);
  const losses = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * classes;
    let best = 0;
    for (let j = 1; j < classes; j++) if (logits[o + j] > logits[o + best]) best = j;
    const max = logits[o + best];
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += Math.exp(logits[o + j] - max);
    const logSum = Math.log(sum) + max;
    predictions[i] = best;
    probabilities[i] = Math.exp(max - logSum);
    losses[i] = logSum - logits[o + labels[i]];
  }
  return { predictions, probabilities, losses };
}

/** The `k` misclassified images with the largest loss, largest first (ties: lower index first). */
export function topLosses(
  scores: { predictions: Uint8Array; probabilities: Float64Array; losses: Float64Array },
  labels: ArrayLike<number>,
  k: number,
): TopLoss[] {
  const wrong: number[] = [];
  for (let i = 0; i < scores.predictions.length; i++) if (scores.predictions[i] !== labels[i]) wrong.push(i);
  wrong.sort((a, b) => scores.losses[b] - scores.losses[a] || a - b);
  return wrong.slice(0, Math.max(0, k)).map((index) => ({
    index,
    true: labels[index],
    predicted: scores.predictions[index],
    probability: scores.probabilities[index],
    loss: scores.losses[index],
  }));
}
