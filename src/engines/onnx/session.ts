import './no-telemetry.js'; // before onnxruntime-node: no device id, no telemetry
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';

/** Intra-op threads for `settings.threads` (default: all cores, at most 4; the CLI edge reads FMNIST_ONNX_THREADS). */
export function onnxThreads(threads?: number): number {
  return Math.max(1, Math.floor(threads ?? Math.min(4, availableParallelism())));
}

/** Session options measured best for these small graphs on a 2-core machine (the bench's GEMM peak uses them too). */
export function onnxSessionOptions(threads: number, spinning: boolean): ort.InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    enableCpuMemArena: true,
    enableMemPattern: true,
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: spinning ? '1' : '0' } } },
  };
}

export const floatTensor = (data: Float32Array, shape: readonly number[]) =>
  new ort.Tensor('float32', data, [...shape]);

/** A growable scratch buffer, reused between runs to avoid per-step allocations. */
export class Scratch<T extends Uint8Array | Float32Array> {
  private buffer: T;
  constructor(private readonly make: (n: number) => T) {
    this.buffer = make(0);
  }
  take(n: number): T {
    if (this.buffer.length < n) this.buffer = this.make(Math.max(n, this.buffer.length * 2));
    return this.buffer.subarray(0, n) as T;
  }
}

/** The training and evaluation sessions, created together with the same options. */
export function createSessions(
  trainingModel: Uint8Array,
  evaluationModel: Uint8Array,
  threads: number,
  spinning: boolean,
): Promise<[ort.InferenceSession, ort.InferenceSession]> {
  return Promise.all([
    ort.InferenceSession.create(trainingModel, onnxSessionOptions(threads, spinning)),
    ort.InferenceSession.create(evaluationModel, onnxSessionOptions(threads, spinning)),
  ]);
}
