/**
 * Verification of an exported model: a fresh onnxruntime-node session on the file, every test
 * image in batches, compared with the in-memory model's logits; then the same images at batch
 * size 1 and in one large batch. PASS when every |Δ| ≤ atol + rtol·|reference| and every
 * argmax agrees, in all three runs.
 */
import { performance } from 'node:perf_hooks';
import type { Split } from '../core/dataset/types.js';
import { NUM_CLASSES, PIXELS } from '../core/dataset/types.js';
import { DEFAULT_TOLERANCE, compareLogits, type LogitComparison, type Tolerance } from '../core/verify/compare.js';
import { ONNXRUNTIME_VERSION, openOnnxModel, type OnnxModelInfo } from './onnx-model.js';

export interface VerifyOptions {
  readonly onnxPath: string;
  /** The in-memory model's logits (eval mode) for `count` uint8 images. */
  readonly reference: (images: Uint8Array, count: number) => Promise<Float32Array>;
  readonly test: Split;
  /** What computes the reference, for the report, e.g. "onnx engine (onnxruntime-node …)". */
  readonly referenceDescription?: string;
  /** Batch size of the main run (default 1,000). */
  readonly batchSize?: number;
  /** Images run one at a time (default: all of them). */
  readonly batchOneCount?: number;
  /** Size of the large-batch run (default: the whole split in one batch). */
  readonly largeBatchSize?: number;
  readonly tolerance?: Tolerance;
  /** Called between batches, e.g. to update a progress line. */
  readonly onProgress?: (
    stage: 'reference' | 'batched' | 'batch-1' | 'large-batch',
    done: number,
    total: number,
  ) => void;
}

export interface VerifyRun extends LogitComparison {
  readonly batchSize: number;
  readonly seconds: number;
}

export interface VerifyReport {
  readonly verdict: 'PASS' | 'FAIL';
  readonly onnxPath: string;
  readonly runtime: string;
  readonly model: OnnxModelInfo;
  readonly testImages: number;
  /** What computed the reference logits. */
  readonly reference: string;
  readonly tolerance: Tolerance;
  /** The main run: every test image in batches. */
  readonly batched: VerifyRun;
  /** The first `count` images one at a time. */
  readonly batchOne: VerifyRun;
  /** The images in batches of `batchSize` (the whole split at once by default). */
  readonly largeBatch: VerifyRun;
  readonly referenceSeconds: number;
  readonly sessionSeconds: number;
  /** Fractions correct on the test split (main run). */
  readonly referenceAccuracy: number;
  readonly exportAccuracy: number;
  readonly createdAt: string;
}

async function inBatches(
  run: (images: Uint8Array, count: number) => Promise<Float32Array>,
  images: Uint8Array,
  count: number,
  batchSize: number,
  onBatch?: (done: number) => void,
): Promise<Float32Array> {
  const out = new Float32Array(count * NUM_CLASSES);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const logits = await run(images.subarray(start * PIXELS, (start + n) * PIXELS), n);
    out.set(logits.subarray(0, n * NUM_CLASSES), start * NUM_CLASSES);
    onBatch?.(start + n);
  }
  return out;
}

export async function verifyExport(options: VerifyOptions): Promise<VerifyReport> {
  const { test } = options;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 1000, test.count));
  const oneCount = Math.min(options.batchOneCount ?? test.count, test.count);
  const largeSize = Math.max(1, Math.min(options.largeBatchSize ?? test.count, test.count));
  const progress = options.onProgress;

  let t = performance.now();
  const model = await openOnnxModel(options.onnxPath);
  const sessionSeconds = (performance.now() - t) / 1000;
  try {
    t = performance.now();
    const reference = await inBatches(options.reference, test.images, test.count, batchSize, (d) =>
      progress?.('reference', d, test.count),
    );
    const referenceSeconds = (performance.now() - t) / 1000;

    const timed = async (
      stage: 'batched' | 'batch-1' | 'large-batch',
      count: number,
      size: number,
    ): Promise<VerifyRun> => {
      const start = performance.now();
      const logits = await inBatches(model.run, test.images, count, size, (d) => progress?.(stage, d, count));
      const seconds = (performance.now() - start) / 1000;
      return { ...compareLogits(reference, logits, test.labels, count, { tolerance }), batchSize: size, seconds };
    };
    const batched = await timed('batched', test.count, batchSize);
    const batchOne = await timed('batch-1', oneCount, 1);
    const largeBatch = await timed('large-batch', test.count, largeSize);
    const pass = batched.pass && batchOne.pass && largeBatch.pass;
    return {
      verdict: pass ? 'PASS' : 'FAIL',
      onnxPath: options.onnxPath,
      runtime: ONNXRUNTIME_VERSION,
      model: model.info,
      testImages: test.count,
      reference: options.referenceDescription ?? 'the in-memory model',
      tolerance,
      batched,
      batchOne,
      largeBatch,
      referenceSeconds,
      sessionSeconds,
      referenceAccuracy: batched.referenceAccuracy,
      exportAccuracy: batched.exportAccuracy,
      createdAt: new Date().toISOString(),
    };
  } finally {
    await model.release();
  }
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const int = (n: number) => n.toLocaleString('en-US');
const allowance = (ratio: number) => (Number.isNaN(ratio) ? 'NaN' : `${(100 * ratio).toPrecision(2)}%`);
const sci = (x: number) => (Number.isNaN(x) ? 'NaN' : x === 0 ? '0' : x.toExponential(2));

function runLine(label: string, r: VerifyRun): string {
  const status = r.pass ? 'ok' : 'MISMATCH';
  const extra = r.disagreeingImages.length ? `; first disagreeing images ${r.disagreeingImages.join(', ')}` : '';
  const outside = r.outsideTolerance ? ` (${int(r.outsideTolerance)} logits outside tolerance)` : '';
  return (
    `  ${label.padEnd(30)} max |Δ| ${sci(r.maxAbsDiff).padEnd(9)} ` +
    `argmax agreement ${int(r.argmaxAgreements)}/${int(r.count)}  ` +
    `${r.seconds.toFixed(2)} s  ${status}${outside}${extra}`
  );
}

/** The report as text, one fact a line, verdict last. */
export function formatVerifyReport(r: VerifyReport): string {
  const lines = [
    `Verifying ${r.onnxPath} with ${r.runtime} (a fresh session, ${r.sessionSeconds.toFixed(2)} s to load)`,
    `  model: ONNX IR ${r.model.irVersion}, opset ${r.model.opsetVersion}, by ${r.model.producer || 'unknown producer'}`,
    `  reference: ${r.reference}; ${int(r.testImages)} test images in ${r.referenceSeconds.toFixed(2)} s`,
    runLine(`batches of ${int(r.batched.batchSize)}:`, r.batched),
    runLine(`batch size 1 (${int(r.batchOne.count)} images):`, r.batchOne),
    runLine(`batch size ${int(r.largeBatch.batchSize)}:`, r.largeBatch),
    `  accuracy: in-memory ${pct(r.referenceAccuracy)}, ONNX ${pct(r.exportAccuracy)}`,
    `  tolerance: |Δ| ≤ ${r.tolerance.atol.toExponential()} + ${r.tolerance.rtol.toExponential()}·|reference| ` +
      `for every logit, and 100% argmax agreement (the worst logit used ${allowance(
        Math.max(r.batched.worstToleranceRatio, r.batchOne.worstToleranceRatio, r.largeBatch.worstToleranceRatio),
      )} of its allowance)`,
    r.verdict,
  ];
  return lines.join('\n');
}
