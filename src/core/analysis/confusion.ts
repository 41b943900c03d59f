/**
 * Confusion matrix and the metrics read off it (pure). Rows are the true class, columns the
 * predicted class, as in scikit-learn's `confusion_matrix`; per-class precision / recall / F1
 * follow scikit-learn's `precision_recall_fscore_support` with `zero_division=0`.
 */

/** counts[t][p]: images of true class t predicted as p. */
export type ConfusionMatrix = number[][];

export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  classes: number,
): ConfusionMatrix {
  if (labels.length !== predictions.length)
    throw new RangeError(`confusionMatrix: ${labels.length} labels but ${predictions.length} predictions`);
  const m = Array.from({ length: classes }, () => Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    const p = predictions[i];
    if (!(t >= 0 && t < classes && p >= 0 && p < classes))
      throw new RangeError(`confusionMatrix: class out of range at ${i} (true ${t}, predicted ${p})`);
    m[t][p]++;
  }
  return m;
}

export function total(m: ConfusionMatrix): number {
  return m.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
}

/** Fraction on the diagonal (0 for an empty matrix). */
export function accuracyOf(m: ConfusionMatrix): number {
  const n = total(m);
  return n === 0 ? 0 : m.reduce((s, row, i) => s + row[i], 0) / n;
}

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Images whose true class this is (the row sum). */
  readonly support: number;
}

/** Precision, recall and F1 per class; a 0/0 ratio counts as 0 (scikit-learn's zero_division=0). */
export function perClassMetrics(m: ConfusionMatrix): ClassMetrics[] {
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return m.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = m.reduce((s, r) => s + r[c], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
}

export interface ConfusedPair {
  readonly true: number;
  readonly predicted: number;
  readonly count: number;
}

/**
 * Off-diagonal cells, largest count first (ties: by true then predicted class), like fastai's
 * `most_confused(min_val)`; cells below `minCount` are left out.
 */
export function mostConfused(m: ConfusionMatrix, limit: number, minCount = 1): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  m.forEach((row, t) =>
    row.forEach((count, p) => {
      if (t !== p && count >= minCount) pairs.push({ true: t, predicted: p, count });
    }),
  );
  pairs.sort((a, b) => b.count - a.count || a.true - b.true || a.predicted - b.predicted);
  return pairs.slice(0, Math.max(0, limit));
}
