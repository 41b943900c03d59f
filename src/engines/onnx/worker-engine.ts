import { Worker } from 'node:worker_threads';
import { PIXELS } from '../../core/dataset/types.js';
import type { Engine, EngineOptions, EvaluationResult, OptimizerState, TrainBatch } from '../../core/train/engine.js';
import type { NamedTensors } from '../../core/tensors.js';
import type { OnnxEngineSettings } from '../settings.js';
import {
  deserializeError,
  type CallMessage,
  type EngineMethod,
  type InitMessage,
  type ReadyMessage,
  type ReplyMessage,
} from './worker-protocol.js';

/**
 * The worker from the .ts sources, loaded through tsx's API (its --import hooks do not reach a
 * worker's entry on Node 20). tsx is a devDependency: resolved only here, never in an install.
 */
function sourceWorker(init: InitMessage): Worker {
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const main = JSON.stringify(new URL('./worker-main.ts', import.meta.url).href);
  return new Worker(`import(${tsxApi}).then((tsx) => tsx.tsImport(${main}, ${JSON.stringify(import.meta.url)}))`, {
    eval: true,
    workerData: init,
  });
}

/**
 * The ONNX engine in a worker thread: the same engine, with every native call off the main
 * thread, so the TUI keeps drawing and reading keys however long a run takes. Batches are
 * copied into compact buffers and transferred (a subarray of the training set must not drag
 * the whole set through postMessage).
 */
export async function createOnnxWorkerEngine(
  options: EngineOptions,
  settings: Omit<OnnxEngineSettings, 'worker'> = {},
): Promise<Engine> {
  // Under tsx (development, tests) the sources are .ts; built, the worker's entry is .js.
  const init: InitMessage = { options, settings };
  const worker = import.meta.url.endsWith('.ts')
    ? sourceWorker(init)
    : new Worker(new URL('./worker-main.js', import.meta.url), { workerData: init });
  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (!ready.ok) {
    await worker.terminate();
    throw deserializeError(ready.error);
  }
  return new WorkerEngine(worker, ready.value.backend);
}

class WorkerEngine implements Engine {
  readonly name = 'onnx' as const;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;
  private disposed = false;

  constructor(
    private readonly worker: Worker,
    readonly backend: string,
  ) {
    worker.on('message', (m: ReplyMessage) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(deserializeError(m.error));
    });
    const fail = (e: Error) => {
      this.failure = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`onnx engine worker exited (code ${code})`)));
  }

  private call<T>(method: EngineMethod, args: unknown[], transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('onnx engine used after dispose()'));
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const message: CallMessage = { id, method, args };
      this.worker.postMessage(message, transfer);
    });
  }

  trainSteps(batches: readonly TrainBatch[]): Promise<Float32Array> {
    const compact = batches.map((b) => ({
      ...b,
      images: b.images.slice(0, b.count * PIXELS),
      labels: b.labels.slice(0, b.count),
    }));
    return this.call(
      'trainSteps',
      [compact],
      compact.flatMap((b) => [b.images.buffer as ArrayBuffer, b.labels.buffer as ArrayBuffer]),
    );
  }

  evaluate(images: Uint8Array, labels: Uint8Array, count: number): Promise<EvaluationResult> {
    return this.call('evaluate', [images.slice(0, count * PIXELS), labels.slice(0, count), count]);
  }

  predict(images: Uint8Array, count: number): Promise<Float32Array> {
    return this.call('predict', [images.slice(0, count * PIXELS), count]);
  }

  getParameters(): Promise<NamedTensors> {
    return this.call('getParameters', []);
  }

  setParameters(parameters: NamedTensors): Promise<void> {
    return this.call('setParameters', [parameters]);
  }

  getOptimizerState(): Promise<OptimizerState> {
    return this.call('getOptimizerState', []);
  }

  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.call('setOptimizerState', [state]);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    try {
      if (!this.failure) await this.call('dispose', []);
    } finally {
      // Even when the engine's own dispose fails, the thread must not outlive the engine.
      this.disposed = true;
      await this.worker.terminate();
    }
  }
}
