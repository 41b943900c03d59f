import './onnx/no-telemetry.js'; // before onnxruntime-node: no device id, no telemetry
import * as ort from 'onnxruntime-node';
import { NUM_CLASSES, PIXELS } from '../core/dataset/types.js';
import { checkParameterTensors, parameterInfo, validateModelSpec, type ParameterInfo } from '../core/model/spec.js';
import { tensorSize, type NamedTensors } from '../core/tensors.js';
import type { Engine, EngineOptions, EvaluationResult, OptimizerState, TrainBatch } from '../core/train/engine.js';
import type { OptimizerOptions } from '../core/train/hyperparameters.js';
import { buildTrainingModel, IO, maskInput, nextOutput, type TrainingModel } from '../core/onnx/training.js';
import { buildEvaluationModel } from '../core/onnx/eval-models.js';
import { optimizerScalars } from '../core/onnx/optimizer.js';
import { runtimeOptimizer } from '../core/train/optimizer-state.js';
import { dropoutNoise } from '../core/train/dropout.js';
import type { OnnxEngineSettings } from './settings.js';
import { createSessions, floatTensor, onnxThreads, Scratch } from './onnx/session.js';
import { checkTrainBatches, evalChunkFor, runEnd } from './onnx/batches.js';
import { readOptimizerState, restoreOptimizerState } from './onnx/optimizer-state.js';

export type { OnnxEngineSettings } from './settings.js';
export { onnxSessionOptions, onnxThreads } from './onnx/session.js';

/**
 * The default engine: the spec compiled to ONNX training and evaluation graphs (forward,
 * loss, hand-written backward, torch.optim update, several steps per run through an ONNX
 * Loop) and run by onnxruntime-node. Parameters and optimizer buffers stay in ort Tensors
 * and are fed back each run.
 */
export async function createOnnxEngine(options: EngineOptions, settings: OnnxEngineSettings = {}): Promise<Engine> {
  if (settings.worker) {
    const { createOnnxWorkerEngine } = await import('./onnx/worker-engine.js');
    const { worker: _worker, ...rest } = settings;
    return createOnnxWorkerEngine(options, rest);
  }
  const spec = validateModelSpec(options.spec);
  const infos = parameterInfo(spec);
  checkParameterTensors(infos, options.parameters);
  const threads = onnxThreads(settings.threads);
  const labelSmoothing = options.labelSmoothing ?? 0;
  const cycleMomentum = options.cycleMomentum ?? false;
  const optimizer = runtimeOptimizer(options.optimizer, cycleMomentum);
  const training = buildTrainingModel(spec, options.loss, optimizer, { labelSmoothing, cycleMomentum });
  const evaluation = buildEvaluationModel(spec, options.loss, labelSmoothing);
  const [trainSession, evalSession] = await createSessions(
    training.bytes,
    evaluation,
    threads,
    settings.spinning ?? false,
  );
  return new OnnxEngine(options, infos, training, trainSession, evalSession, threads, settings);
}

class OnnxEngine implements Engine {
  readonly name = 'onnx' as const;
  readonly backend: string;
  private params = new Map<string, ort.Tensor>();
  private state = new Map<string, ort.Tensor>();
  private steps = 0;
  private disposed = false;
  private readonly maxStepsPerRun: number;
  private readonly targetRunMs: number;
  /** Recent milliseconds per optimizer step (exponential average), for sizing runs. */
  private msPerStep = 0;
  private readonly evalChunk: number;
  private readonly images = new Scratch((n) => new Uint8Array(n));
  private readonly labels = new Scratch((n) => new Uint8Array(n));
  private readonly scalars = new Scratch((n) => new Float32Array(n));
  private readonly masks: Scratch<Float32Array>[];
  /** The optimizer as the graph runs it (see runtimeOptimizer) and whether each batch brings its momentum. */
  private readonly optimizer: OptimizerOptions;
  private readonly cycleMomentum: boolean;

  constructor(
    private readonly options: EngineOptions,
    private readonly infos: readonly ParameterInfo[],
    private readonly training: TrainingModel,
    private readonly trainSession: ort.InferenceSession,
    private readonly evalSession: ort.InferenceSession,
    threads: number,
    settings: OnnxEngineSettings,
  ) {
    this.backend = `onnxruntime-node ${ort.env.versions.node ?? ort.env.versions.common} (cpu, ${threads} thread${threads === 1 ? '' : 's'})`;
    this.maxStepsPerRun = Math.max(1, Math.floor(settings.maxStepsPerRun ?? 32));
    this.targetRunMs = Math.max(1, settings.targetRunMs ?? 200);
    this.evalChunk = Math.max(1, Math.floor(settings.evalChunk ?? evalChunkFor(options.spec)));
    this.masks = training.dropouts.map(() => new Scratch((n) => new Float32Array(n)));
    this.cycleMomentum = options.cycleMomentum ?? false;
    this.optimizer = runtimeOptimizer(options.optimizer, this.cycleMomentum);
    this.loadParameters(options.parameters);
    this.resetState();
  }

  private live(): void {
    if (this.disposed) throw new Error('onnx engine used after dispose()');
  }

  /** Calls run one after another even if a caller does not await (they share scratch buffers and state). */
  private queue: Promise<unknown> = Promise.resolve();
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private loadParameters(parameters: NamedTensors): void {
    for (const info of this.infos)
      this.params.set(info.name, floatTensor(new Float32Array(parameters.get(info.name)!.data), info.shape));
  }

  private resetState(): void {
    for (const s of this.training.state)
      this.state.set(s.key, floatTensor(new Float32Array(tensorSize(s.shape)), s.shape));
    this.steps = 0;
  }

  trainSteps(batches: readonly TrainBatch[]): Promise<Float32Array> {
    return this.serial(() => this.trainStepsNow(batches));
  }

  private async trainStepsNow(batches: readonly TrainBatch[]): Promise<Float32Array> {
    this.live();
    const losses = new Float32Array(batches.length);
    checkTrainBatches(batches);
    // Consecutive batches of one size run together in Loop runs of bounded duration (see runEnd).
    for (let start = 0; start < batches.length; ) {
      const count = batches[start].count;
      const cap =
        this.msPerStep > 0
          ? Math.min(this.maxStepsPerRun, Math.max(1, Math.floor(this.targetRunMs / this.msPerStep)))
          : 1;
      const end = runEnd(batches, start, cap);
      const t0 = performance.now();
      losses.set(await this.runSteps(batches.slice(start, end), count), start);
      const ms = (performance.now() - t0) / (end - start);
      this.msPerStep = this.msPerStep > 0 ? 0.7 * this.msPerStep + 0.3 * ms : ms;
      start = end;
    }
    return losses;
  }

  private async runSteps(batches: readonly TrainBatch[], count: number): Promise<Float32Array> {
    const k = batches.length;
    const images = this.images.take(k * count * PIXELS);
    const labels = this.labels.take(k * count);
    const scalarNames = this.training.scalarNames;
    const scalars = this.scalars.take(k * scalarNames.length);
    const masks = this.training.dropouts.map((d, j) => this.masks[j].take(k * count * d.units));
    batches.forEach((b, i) => {
      images.set(b.images.subarray(0, count * PIXELS), i * count * PIXELS);
      for (let j = 0; j < count; j++) {
        const label = b.labels[j];
        if (!(label < NUM_CLASSES)) throw new Error(`trainSteps: label ${label} is not a class 0..${NUM_CLASSES - 1}`);
        labels[i * count + j] = label;
      }
      scalars.set(
        optimizerScalars(this.optimizer, this.steps + i, b.learningRate, this.cycleMomentum, b.momentum),
        i * scalarNames.length,
      );
      this.training.dropouts.forEach((d, j) => {
        const size = count * d.units;
        dropoutNoise(b.dropoutSeed, d.index, count, d.units, d.p, masks[j].subarray(i * size, (i + 1) * size));
      });
    });
    const feeds: Record<string, ort.Tensor> = {
      [IO.images]: new ort.Tensor('uint8', images, [k, count, PIXELS]),
      [IO.labels]: new ort.Tensor('uint8', labels, [k, count]),
      [IO.stepScalars]: new ort.Tensor('float32', scalars, [k, scalarNames.length]),
    };
    this.training.dropouts.forEach(
      (d, j) => (feeds[maskInput(d.index)] = new ort.Tensor('float32', masks[j], [k, count, d.units])),
    );
    for (const [name, t] of this.params) feeds[name] = t;
    for (const [key, t] of this.state) feeds[key] = t;
    const out = await this.trainSession.run(feeds);
    for (const name of this.params.keys()) this.params.set(name, out[nextOutput(name)]);
    for (const key of this.state.keys()) this.state.set(key, out[nextOutput(key)]);
    this.steps += k;
    return out[IO.losses].data as Float32Array;
  }

  /** Runs the eval model over `count` images in chunks. */
  private async evalChunks(
    images: Uint8Array,
    labels: Uint8Array | undefined,
    count: number,
    fetches: string[],
    each: (start: number, n: number, out: ort.InferenceSession.ReturnType) => void,
  ): Promise<void> {
    this.live();
    if (!(Number.isInteger(count) && count >= 0) || images.length < count * PIXELS)
      throw new Error(`evaluate: ${images.length} pixels for ${count} images`);
    if (labels && labels.length < count) throw new Error(`evaluate: ${labels.length} labels for ${count} images`);
    for (let start = 0; start < count; start += this.evalChunk) {
      const n = Math.min(this.evalChunk, count - start);
      const x = this.images.take(n * PIXELS);
      x.set(images.subarray(start * PIXELS, (start + n) * PIXELS));
      const y = this.labels.take(n);
      if (labels) y.set(labels.subarray(start, start + n));
      else y.fill(0);
      const feeds: Record<string, ort.Tensor> = {
        [IO.images]: new ort.Tensor('uint8', x, [n, PIXELS]),
        [IO.labels]: new ort.Tensor('uint8', y, [n]),
      };
      for (const [name, t] of this.params) feeds[name] = t;
      each(start, n, await this.evalSession.run(feeds, fetches));
    }
  }

  evaluate(images: Uint8Array, labels: Uint8Array, count: number): Promise<EvaluationResult> {
    return this.serial(() => this.evaluateNow(images, labels, count));
  }

  private async evaluateNow(images: Uint8Array, labels: Uint8Array, count: number): Promise<EvaluationResult> {
    const losses = new Float32Array(count);
    const predictions = new Uint8Array(count);
    await this.evalChunks(images, labels, count, [IO.losses, IO.predictions], (start, _n, out) => {
      losses.set(out[IO.losses].data as Float32Array, start);
      predictions.set(out[IO.predictions].data as Uint8Array, start);
    });
    return { losses, predictions };
  }

  predict(images: Uint8Array, count: number): Promise<Float32Array> {
    return this.serial(() => this.predictNow(images, count));
  }

  private async predictNow(images: Uint8Array, count: number): Promise<Float32Array> {
    const output = new Float32Array(count * NUM_CLASSES);
    await this.evalChunks(images, undefined, count, [IO.output], (start, _n, out) =>
      output.set(out[IO.output].data as Float32Array, start * NUM_CLASSES),
    );
    return output;
  }

  getParameters(): Promise<NamedTensors> {
    return this.serial(() => this.getParametersNow());
  }

  private async getParametersNow(): Promise<NamedTensors> {
    this.live();
    const out: NamedTensors = new Map();
    for (const info of this.infos)
      out.set(info.name, {
        shape: [...info.shape],
        data: new Float32Array(this.params.get(info.name)!.data as Float32Array),
      });
    return out;
  }

  setParameters(parameters: NamedTensors): Promise<void> {
    return this.serial(() => this.setParametersNow(parameters));
  }

  private async setParametersNow(parameters: NamedTensors): Promise<void> {
    this.live();
    checkParameterTensors(this.infos, parameters);
    this.loadParameters(parameters);
  }

  /** Like torch's state: empty before the first step, then every buffer as `<buffer>/<parameter>`. */
  getOptimizerState(): Promise<OptimizerState> {
    return this.serial(() => this.getOptimizerStateNow());
  }

  private async getOptimizerStateNow(): Promise<OptimizerState> {
    this.live();
    return readOptimizerState(this.training.state, this.state, this.steps);
  }

  /** Restores a state from getOptimizerState (of either engine); at step 0 buffers start from zero as in torch. */
  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.serial(() => this.setOptimizerStateNow(state));
  }

  private async setOptimizerStateNow(state: OptimizerState): Promise<void> {
    this.live();
    this.state = restoreOptimizerState(this.training.state, state, this.options.optimizer.kind);
    this.steps = state.step;
  }

  async dispose(): Promise<void> {
    // After the calls already queued, so none of them meets released sessions.
    await this.serial(async () => {
      if (this.disposed) return;
      this.disposed = true;
      await Promise.all([this.trainSession.release(), this.evalSession.release()]);
      this.params.clear();
      this.state.clear();
    });
  }
}
