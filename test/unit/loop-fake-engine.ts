// A tiny deterministic Engine for the train loop's tests: its "weights" are one number that
// every step moves by the learning rate, the batch's labels and its dropout seed, so the
// losses reveal the batch order, the learning rates and the seeds the loop passed in.
import { PIXELS, type Split } from '../../src/core/dataset/types.js';
import type { Engine, EvaluationResult, OptimizerState, TrainBatch } from '../../src/core/train/engine.js';
import type { NamedTensors } from '../../src/core/tensors.js';

export interface FakeStep {
  readonly count: number;
  /** First pixel of each image (the synthetic split stores the image index there). */
  readonly images: number[];
  readonly learningRate: number;
  readonly dropoutSeed: number;
}

export interface FakeEngine extends Engine {
  readonly steps: FakeStep[];
  readonly groups: number[];
  weight(): number;
  /** Called before each step with the global step index; may return a loss to force (e.g. NaN). */
  forceLoss?: (step: number) => number | undefined;
  /** Advanced by each trainSteps call: a fake clock for the loop's `now`. */
  clock: number;
}

export function fakeEngine(initialWeight = 1): FakeEngine {
  let w = initialWeight;
  let opt = 0;
  const engine: FakeEngine = {
    name: 'onnx',
    backend: 'fake',
    steps: [],
    groups: [],
    clock: 0,
    weight: () => w,
    async trainSteps(batches: readonly TrainBatch[]) {
      engine.groups.push(batches.length);
      const losses = new Float32Array(batches.length);
      batches.forEach((b, i) => {
        const images: number[] = [];
        let labels = 0;
        for (let k = 0; k < b.count; k++) {
          images.push(b.images[k * PIXELS]);
          labels += b.labels[k];
        }
        const target = labels / b.count / 10 + (b.dropoutSeed % 1000) / 1e5;
        w = Math.fround(w - b.learningRate * (w - target)); // float32, like real weights
        opt++;
        losses[i] = engine.forceLoss?.(engine.steps.length) ?? w * w + 0.01 * images[0];
        engine.steps.push({ count: b.count, images, learningRate: b.learningRate, dropoutSeed: b.dropoutSeed });
      });
      engine.clock += 1000;
      return losses;
    },
    async evaluate(images: Uint8Array, labels: Uint8Array, count: number): Promise<EvaluationResult> {
      const losses = new Float32Array(count);
      const predictions = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        losses[i] = images[i * PIXELS] + w; // depends on the image, so batching is visible
        predictions[i] = labels[i] < 5 ? labels[i] : (labels[i] + 1) % 10;
      }
      return { losses, predictions };
    },
    async predict(_images: Uint8Array, count: number) {
      return new Float32Array(count * 10);
    },
    async getParameters(): Promise<NamedTensors> {
      return new Map([['w', { shape: [1], data: Float32Array.of(w) }]]);
    },
    async setParameters(p: NamedTensors) {
      w = p.get('w')!.data[0];
    },
    async getOptimizerState(): Promise<OptimizerState> {
      return { step: opt, tensors: new Map() };
    },
    async setOptimizerState(s: OptimizerState) {
      opt = s.step;
    },
    async dispose() {},
  };
  return engine;
}

/** `count` images whose pixels all equal their index (mod 256), labels index % 10. */
export function syntheticSplit(count: number): Split {
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images.fill(i % 256, i * PIXELS, (i + 1) * PIXELS);
    labels[i] = i % 10;
  }
  return { images, labels, count };
}
