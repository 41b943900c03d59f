/**
 * Keeping a long series short (pure). Batch losses arrive one at a time; an epoch keeps at most
 * BATCH_LOSS_POINTS bucket means, so a whole run's batch-loss line (history[].batchLoss) stays
 * in metrics.json and the checkpoint at a few hundred numbers while its shape stays visible.
 */

/** Points kept per epoch. */
export const BATCH_LOSS_POINTS = 50;

/** Means of `count` values in at most `buckets` consecutive, near-equal buckets, fed one value at a time. */
export class BucketMeans {
  private readonly sums: Float64Array;
  private readonly counts: Uint32Array;
  private seen = 0;

  constructor(
    private readonly count: number,
    buckets = BATCH_LOSS_POINTS,
  ) {
    const n = Math.max(0, Math.min(buckets, count));
    this.sums = new Float64Array(n);
    this.counts = new Uint32Array(n);
  }

  add(value: number): void {
    if (this.sums.length === 0) return;
    const k = Math.min(this.sums.length - 1, Math.floor((this.seen * this.sums.length) / this.count));
    this.sums[k] += value;
    this.counts[k]++;
    this.seen++;
  }

  /** Bucket means so far (6 significant digits: plenty for a plot, short in JSON); empty buckets dropped. */
  values(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.sums.length; k++)
      if (this.counts[k] > 0) out.push(Number((this.sums[k] / this.counts[k]).toPrecision(6)));
    return out;
  }
}

/** At most `points` means of consecutive near-equal slices of `values` (the series itself when short). */
export function downsample(values: readonly number[], points: number): number[] {
  if (values.length <= points) return [...values];
  const b = new BucketMeans(values.length, points);
  for (const v of values) b.add(v);
  return b.values();
}

/**
 * A run's batch-loss line from its history: x in epochs (bucket k of E's n buckets sits at
 * E − 1 + (k + ½) / n), y the bucket mean. Epochs without batchLoss (older runs) add nothing.
 */
export function runBatchLoss(history: readonly { epoch: number; batchLoss?: readonly number[] }[]): {
  xs: number[];
  ys: number[];
} {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const h of history) {
    const n = h.batchLoss?.length ?? 0;
    for (let k = 0; k < n; k++) {
      xs.push(h.epoch - 1 + (k + 0.5) / n);
      ys.push(h.batchLoss![k]);
    }
  }
  return { xs, ys };
}
