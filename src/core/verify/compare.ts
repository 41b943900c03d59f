import { NUM_CLASSES } from '../dataset/types.js';

/** PyTorch's ONNX export tutorial: torch.testing.assert_close(rtol=1e-3, atol=1e-5). */
export const DEFAULT_TOLERANCE = { atol: 1e-5, rtol: 1e-3 } as const;
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/** How one run of the exported model compares with the reference logits. */
export interface LogitComparison {
  /** Images compared. */
  readonly count: number;
  /** Largest |exported − reference| over every logit. */
  readonly maxAbsDiff: number;
  /** Largest |Δ| / (atol + rtol·|reference|): ≤ 1 means within tolerance everywhere. */
  readonly worstToleranceRatio: number;
  /** Logits outside the tolerance (NaN counts as outside). */
  readonly outsideTolerance: number;
  /** Images whose argmax (predicted class) is the same in both. */
  readonly argmaxAgreements: number;
  /** First image indices whose predicted class differs (at most 10). */
  readonly disagreeingImages: readonly number[];
  /** Fractions correct (0..1) against the labels: reference, exported. */
  readonly referenceAccuracy: number;
  readonly exportAccuracy: number;
  /** PASS for this run: every logit within tolerance and every argmax agrees. */
  readonly pass: boolean;
}

/** Index of the largest value (first on ties; NaN never wins), like torch.argmax on finite data. */
export function argmax(logits: Float32Array, offset: number, n = NUM_CLASSES): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = logits[offset + j];
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}

/**
 * Compare exported-model logits with the reference over `count` images. `indices`, when given,
 * maps row i of `candidate` to the reference/label row indices[i] (for samples).
 */
export function compareLogits(
  reference: Float32Array,
  candidate: Float32Array,
  labels: Uint8Array,
  count: number,
  options: { tolerance?: Tolerance; indices?: ArrayLike<number> } = {},
): LogitComparison {
  const { atol, rtol } = options.tolerance ?? DEFAULT_TOLERANCE;
  if (candidate.length < count * NUM_CLASSES)
    throw new Error(`expected ${count * NUM_CLASSES} logits, got ${candidate.length}`);
  let maxAbsDiff = 0;
  let worst = 0;
  let outside = 0;
  let agree = 0;
  let refCorrect = 0;
  let expCorrect = 0;
  const disagreeing: number[] = [];
  for (let i = 0; i < count; i++) {
    const row = options.indices ? options.indices[i] : i;
    const r0 = row * NUM_CLASSES;
    const c0 = i * NUM_CLASSES;
    for (let j = 0; j < NUM_CLASSES; j++) {
      const r = reference[r0 + j];
      const d = Math.abs(candidate[c0 + j] - r);
      const ratio = d / (atol + rtol * Math.abs(r));
      if (!(d <= atol + rtol * Math.abs(r))) outside++;
      if (Number.isNaN(d)) {
        maxAbsDiff = Number.NaN;
        worst = Number.NaN;
      } else {
        if (d > maxAbsDiff) maxAbsDiff = d;
        if (ratio > worst) worst = ratio;
      }
    }
    const pr = argmax(reference, r0);
    const pc = argmax(candidate, c0);
    if (pr === pc) agree++;
    else if (disagreeing.length < 10) disagreeing.push(row);
    if (pr === labels[row]) refCorrect++;
    if (pc === labels[row]) expCorrect++;
  }
  return {
    count,
    maxAbsDiff,
    worstToleranceRatio: worst,
    outsideTolerance: outside,
    argmaxAgreements: agree,
    disagreeingImages: disagreeing,
    referenceAccuracy: count ? refCorrect / count : 0,
    exportAccuracy: count ? expCorrect / count : 0,
    pass: outside === 0 && agree === count,
  };
}

/** Softmax of one row of logits (numerically stable). */
export function softmaxRow(logits: Float32Array, offset: number, n = NUM_CLASSES): Float64Array {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, logits[offset + j]);
  const out = new Float64Array(n);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += out[j] = Math.exp(logits[offset + j] - max);
  for (let j = 0; j < n; j++) out[j] /= sum;
  return out;
}

/** The k most probable classes of one row, most probable first. */
export function topK(logits: Float32Array, offset: number, k: number): { label: number; probability: number }[] {
  const p = softmaxRow(logits, offset);
  return [...p]
    .map((probability, label) => ({ label, probability }))
    .sort((a, b) => b.probability - a.probability || a.label - b.label)
    .slice(0, k);
}
