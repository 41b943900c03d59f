export interface BenchRow {
  /** e.g. "train epoch, seed config (onnx)" */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** e.g. "≤ 1.5 s" */
  readonly target?: string;
  /**
   * Work done at this figure's rate as a fraction of onnxruntime's GEMM peak on this machine
   * (FLOPs / seconds / peak FLOP/s, the peak measured next to it): the "of peak" column.
   */
  readonly ofPeak?: number;
  /** Anything else worth keeping in the JSON (samples, medians, ratios). */
  readonly detail?: Record<string, unknown>;
}

/** Median of a list of numbers (benchmarks quote medians: the machine is shared and noisy). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
