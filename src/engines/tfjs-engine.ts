import type * as TfModule from '@tensorflow/tfjs-core';
import { NUM_CLASSES, PIXELS } from '../core/dataset/types.js';
import {
  checkParameterTensors,
  dropoutLayers,
  parameterInfo,
  stackModules,
  validateModelSpec,
  type DropoutLayer,
  type ParameterInfo,
} from '../core/model/spec.js';
import { BATCH_NORM_MOMENTUM } from '../core/model/modules.js';
import type { NamedTensors } from '../core/tensors.js';
import type { Engine, EngineOptions, EvaluationResult, OptimizerState, TrainBatch } from '../core/train/engine.js';
import { dropoutNoise } from '../core/train/dropout.js';
import { loadTfjs, type Tf, type TfjsBackendName } from './tfjs/load.js';
import { batchLoss, forward, oneHotLabels, perSampleLoss, pixelsToFloat, transposeData } from './tfjs/model.js';
import { runtimeOptimizer } from '../core/train/optimizer-state.js';
import { externalShape, toExternal, toInternal, TorchOptimizer, type NamedVariable } from './tfjs/optimizers.js';

type Tensor = TfModule.Tensor;
type Tensor2D = TfModule.Tensor2D;

export { TFJS_BACKENDS, TFJS_BACKEND_ENV, type TfjsBackendName } from './tfjs/load.js';

export interface TfjsEngineSettings {
  /** Force a TF.js backend instead of the best available (tensorflow → wasm → cpu). */
  readonly backend?: TfjsBackendName;
  /** Images per forward pass in evaluate/predict (default 250, ~20 ms on wasm for the seed model): bounds memory and event-loop stalls. */
  readonly evalChunk?: number;
  /** Differentiate the Linear layers with tf.matMul's own gradient too (about 2-3× slower on wasm;
   *  the default states dx, dW, db explicitly with fast row-major matMuls). For cross-checks. */
  readonly pureAutodiff?: boolean;
}

/** Lets the event loop run (the TUI draws, keys are read) between synchronous TF.js calls. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The TF.js engine: the same model, losses and torch.optim rules as the ONNX engine, with
 * gradients from TF.js's automatic differentiation (an independent check of the ONNX
 * engine's hand-built backward graph). TF.js itself is imported here, on first use only.
 */
export async function createTfjsEngine(options: EngineOptions, settings: TfjsEngineSettings = {}): Promise<Engine> {
  const spec = validateModelSpec(options.spec);
  const infos = parameterInfo(spec);
  checkParameterTensors(infos, options.parameters);
  const { tf, description } = await loadTfjs(settings.backend);
  return new TfjsEngine(tf, options, infos, description, settings.evalChunk ?? 250, settings.pureAutodiff ?? false);
}

class TfjsEngine implements Engine {
  readonly name = 'tfjs' as const;
  private readonly modules;
  private readonly params: NamedVariable[];
  /** Sequential index → weight and bias variables. */
  private readonly layers = new Map<number, { kernel: Tensor2D; bias: Tensor }>();
  /** Dropout modules with the width of the layer they follow. */
  private readonly dropouts: readonly DropoutLayer[];
  private readonly optimizer: TorchOptimizer;
  private readonly byName = new Map<string, TfModule.Variable>();
  private readonly trainable: NamedVariable[];
  private disposed = false;
  private readonly parameter = (name: string): Tensor => this.byName.get(name)!;

  constructor(
    private readonly tf: Tf,
    private readonly options: EngineOptions,
    private readonly infos: readonly ParameterInfo[],
    readonly backend: string,
    private readonly evalChunk: number,
    private readonly pureAutodiff: boolean,
  ) {
    this.modules = stackModules(options.spec);
    this.params = infos.map((info) => {
      const t = options.parameters.get(info.name)!;
      const transposed = info.module === 'linear' && info.shape.length === 2;
      const shape = transposed ? [info.shape[1], info.shape[0]] : [...info.shape];
      const init = tf.tensor(
        transposed ? transposeData(t.data, info.shape[0], info.shape[1]) : t.data,
        shape,
        'float32',
      );
      const variable = tf.variable(init, !info.buffer);
      init.dispose();
      return { name: info.name, variable, transposed };
    });
    this.dropouts = dropoutLayers(options.spec);
    for (const p of this.params) this.byName.set(p.name, p.variable);
    for (const m of this.modules) {
      if (m.kind !== 'linear') continue;
      const find = (suffix: string) => this.byName.get(`${m.name}.${suffix}`)!;
      this.layers.set(m.index, { kernel: find('weight') as Tensor as Tensor2D, bias: find('bias') });
    }
    // BatchNorm's running statistics are state, not parameters: the optimizer never sees them.
    this.trainable = this.params.filter((p) => !infos.find((i) => i.name === p.name)!.buffer);
    this.optimizer = new TorchOptimizer(tf, runtimeOptimizer(options.optimizer, options.cycleMomentum), this.trainable);
  }

  private live(): void {
    if (this.disposed) throw new Error('tfjs engine used after dispose()');
  }

  async trainSteps(batches: readonly TrainBatch[]): Promise<Float32Array> {
    this.live();
    const tf = this.tf;
    const losses = new Float32Array(batches.length);
    const vars = this.trainable.map((p) => p.variable);
    for (let s = 0; s < batches.length; s++) {
      const batch = batches[s];
      const n = batch.count;
      if (!(n >= 1) || batch.images.length < n * PIXELS || batch.labels.length < n)
        throw new Error(
          `trainSteps: batch ${s} has ${batch.images.length} pixels and ${batch.labels.length} labels for count ${n}`,
        );
      const lossTensor = tf.tidy(() => {
        const x = tf.tensor2d(pixelsToFloat(batch.images, 0, n), [n, PIXELS]);
        const y = oneHotLabels(tf, batch.labels, 0, n, this.options.labelSmoothing);
        const noise = new Map<number, Tensor2D>();
        for (const d of this.dropouts)
          noise.set(d.index, tf.tensor2d(dropoutNoise(batch.dropoutSeed, d.index, n, d.units, d.p), [n, d.units]));
        const stats: { name: string; mean: Tensor; variance: Tensor; count: number }[] = [];
        const { value, grads } = tf.variableGrads(
          () =>
            batchLoss(
              tf,
              this.options.loss,
              forward(tf, this.modules, this.layers, x, {
                dropoutNoise: noise,
                pureAutodiff: this.pureAutodiff,
                parameter: this.parameter,
                batchStats: (m, mean, variance, count) => stats.push({ name: m.name, mean, variance, count }),
              }),
              y,
            ),
          vars,
        );
        this.updateRunningStatistics(stats);
        this.optimizer.apply(
          vars.map((v) => grads[v.name]),
          batch.learningRate,
          this.options.cycleMomentum ? batch.momentum : undefined,
        );
        return value;
      });
      losses[s] = (await lossTensor.data())[0];
      lossTensor.dispose();
      await yieldToEventLoop();
    }
    return losses;
  }

  /** torch's running-statistics update (momentum 0.1, unbiased variance), after the step's forward pass. */
  private updateRunningStatistics(stats: { name: string; mean: Tensor; variance: Tensor; count: number }[]): void {
    const tf = this.tf;
    const m = BATCH_NORM_MOMENTUM;
    for (const s of stats) {
      const v = (field: string) => this.byName.get(`${s.name}.${field}`)!;
      const blend = (field: string, batch: Tensor) =>
        v(field).assign(tf.add(tf.mul(v(field), 1 - m), tf.mul(batch, m)));
      blend('running_mean', s.mean);
      blend('running_var', tf.mul(s.variance, s.count / (s.count - 1)));
      v('num_batches_tracked').assign(tf.add(v('num_batches_tracked'), 1));
      s.mean.dispose();
      s.variance.dispose();
    }
  }

  /** Runs the eval-mode model over `count` images in chunks; `each` gets every chunk's output. */
  private async evalChunks(
    images: Uint8Array,
    count: number,
    each: (start: number, n: number, output: Tensor2D) => Promise<void>,
  ): Promise<void> {
    this.live();
    if (images.length < count * PIXELS) throw new Error(`evaluate: ${images.length} pixels for ${count} images`);
    const tf = this.tf;
    for (let start = 0; start < count; start += this.evalChunk) {
      const n = Math.min(this.evalChunk, count - start);
      const output = tf.tidy(() =>
        forward(tf, this.modules, this.layers, tf.tensor2d(pixelsToFloat(images, start, n), [n, PIXELS]), {
          pureAutodiff: this.pureAutodiff,
          parameter: this.parameter,
        }),
      );
      try {
        await each(start, n, output);
      } finally {
        output.dispose();
      }
      await yieldToEventLoop();
    }
  }

  async evaluate(images: Uint8Array, labels: Uint8Array, count: number): Promise<EvaluationResult> {
    const tf = this.tf;
    const losses = new Float32Array(count);
    const predictions = new Uint8Array(count);
    await this.evalChunks(images, count, async (start, n, output) => {
      const [loss, argmax] = tf.tidy(() => [
        perSampleLoss(tf, this.options.loss, output, oneHotLabels(tf, labels, start, n, this.options.labelSmoothing)),
        tf.argMax(output, 1),
      ]);
      losses.set((await loss.data()) as Float32Array, start);
      predictions.set(await argmax.data(), start);
      loss.dispose();
      argmax.dispose();
    });
    return { losses, predictions };
  }

  async predict(images: Uint8Array, count: number): Promise<Float32Array> {
    const out = new Float32Array(count * NUM_CLASSES);
    await this.evalChunks(images, count, async (start, _n, output) => {
      out.set((await output.data()) as Float32Array, start * NUM_CLASSES);
    });
    return out;
  }

  async getParameters(): Promise<NamedTensors> {
    this.live();
    const out: NamedTensors = new Map();
    for (const p of this.params)
      out.set(p.name, { shape: externalShape(p), data: toExternal(p, (await p.variable.data()) as Float32Array) });
    return out;
  }

  async setParameters(parameters: NamedTensors): Promise<void> {
    this.live();
    checkParameterTensors(this.infos, parameters);
    const tf = this.tf;
    for (const p of this.params)
      tf.tidy(() =>
        p.variable.assign(tf.tensor(toInternal(p, parameters.get(p.name)!.data), p.variable.shape, 'float32')),
      );
  }

  async getOptimizerState(): Promise<OptimizerState> {
    this.live();
    return this.optimizer.getState();
  }

  async setOptimizerState(state: OptimizerState): Promise<void> {
    this.live();
    this.optimizer.setState(state);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.optimizer.dispose();
    for (const p of this.params) p.variable.dispose();
  }
}
