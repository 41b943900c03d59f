// A small, exact-enough Engine in plain TypeScript for the tune tests: an MLP with ReLU (or no)
// activations, cross-entropy loss, and torch.optim's SGD (no momentum) or Adam. It lets the
// finder and the search be tested on real learning dynamics without onnxruntime.
import { PIXELS, NUM_CLASSES, type Split } from '../../src/core/dataset/types.js';
import { stackModules } from '../../src/core/model/spec.js';
import type {
  Engine,
  EngineOptions,
  EvaluationResult,
  OptimizerState,
  TrainBatch,
} from '../../src/core/train/engine.js';
import { cloneTensors, type NamedTensors } from '../../src/core/tensors.js';
import { mulberry32 } from '../../src/core/random.js';

interface Layer {
  w: Float32Array; // [out, in]
  b: Float32Array;
  inF: number;
  outF: number;
  relu: boolean;
  wName: string;
  bName: string;
}

export interface FakeEngine extends Engine {
  /** Calls seen, for tests that check what the search did. */
  readonly calls: { trainSteps: number; evaluate: number; setParameters: number };
}

export async function createFakeEngine(options: EngineOptions): Promise<FakeEngine> {
  const mods = stackModules(options.spec);
  const layers: Layer[] = [];
  for (let i = 0; i < mods.length; i++) {
    const m = mods[i];
    if (m.kind !== 'linear') continue;
    const next = mods[i + 1];
    if (next && next.kind === 'activation' && next.activation !== 'relu') throw new Error('fake engine: relu only');
    const wName = `linear_relu_stack.${m.index}.weight`;
    const bName = `linear_relu_stack.${m.index}.bias`;
    layers.push({
      w: new Float32Array(options.parameters.get(wName)!.data),
      b: new Float32Array(options.parameters.get(bName)!.data),
      inF: m.inFeatures,
      outF: m.outFeatures,
      relu: next?.kind === 'activation',
      wName,
      bName,
    });
  }
  const opt = options.optimizer;
  if (opt.kind === 'rmsprop') throw new Error('fake engine: sgd or adam');
  let step = 0;
  const m1 = layers.map((l) => [new Float32Array(l.w.length), new Float32Array(l.b.length)]);
  const m2 = layers.map((l) => [new Float32Array(l.w.length), new Float32Array(l.b.length)]);
  const calls = { trainSteps: 0, evaluate: 0, setParameters: 0 };

  /** Forward one sample; returns activations per layer (input first) and the output. */
  const forward = (x: Float32Array) => {
    const acts: Float32Array[] = [x];
    let a = x;
    for (const l of layers) {
      const z = new Float32Array(l.outF);
      for (let o = 0; o < l.outF; o++) {
        let s = l.b[o];
        const row = o * l.inF;
        for (let k = 0; k < l.inF; k++) s += l.w[row + k] * a[k];
        z[o] = l.relu && s < 0 ? 0 : s;
      }
      acts.push(z);
      a = z;
    }
    return acts;
  };
  const crossEntropy = (logits: Float32Array, label: number) => {
    let max = -Infinity;
    for (const v of logits) max = Math.max(max, v);
    let sum = 0;
    for (const v of logits) sum += Math.exp(v - max);
    const lse = max + Math.log(sum);
    const probs = Float32Array.from(logits, (v) => Math.exp(v - lse));
    return { loss: lse - logits[label], probs };
  };
  const input = (images: Uint8Array, i: number) =>
    Float32Array.from(images.subarray(i * PIXELS, (i + 1) * PIXELS), (p) => p / 255);

  const trainOne = (batch: TrainBatch): number => {
    const gw = layers.map((l) => new Float32Array(l.w.length));
    const gb = layers.map((l) => new Float32Array(l.b.length));
    let total = 0;
    for (let i = 0; i < batch.count; i++) {
      const acts = forward(input(batch.images, i));
      const { loss, probs } = crossEntropy(acts[acts.length - 1], batch.labels[i]);
      total += loss;
      let delta = probs;
      delta[batch.labels[i]] -= 1;
      for (let li = layers.length - 1; li >= 0; li--) {
        const l = layers[li];
        const out = acts[li + 1];
        if (l.relu) for (let o = 0; o < l.outF; o++) if (out[o] <= 0) delta[o] = 0;
        const a = acts[li];
        const prev = new Float32Array(l.inF);
        for (let o = 0; o < l.outF; o++) {
          const d = delta[o] / batch.count;
          if (d === 0) continue;
          gb[li][o] += d;
          const row = o * l.inF;
          for (let k = 0; k < l.inF; k++) {
            gw[li][row + k] += d * a[k];
            prev[k] += delta[o] * l.w[row + k];
          }
        }
        delta = prev;
      }
    }
    step++;
    const lr = batch.learningRate;
    layers.forEach((l, li) => {
      const pairs: [Float32Array, Float32Array, number][] = [
        [l.w, gw[li], 0],
        [l.b, gb[li], 1],
      ];
      for (const [p, g, j] of pairs) {
        if (opt.kind === 'sgd') {
          for (let k = 0; k < p.length; k++) p[k] -= lr * g[k];
        } else {
          const ma = m1[li][j];
          const va = m2[li][j];
          const bc1 = 1 - Math.pow(opt.beta1, step);
          const bc2 = 1 - Math.pow(opt.beta2, step);
          for (let k = 0; k < p.length; k++) {
            ma[k] = opt.beta1 * ma[k] + (1 - opt.beta1) * g[k];
            va[k] = opt.beta2 * va[k] + (1 - opt.beta2) * g[k] * g[k];
            p[k] -= (lr * (ma[k] / bc1)) / (Math.sqrt(va[k] / bc2) + opt.eps);
          }
        }
      }
    });
    return total / batch.count;
  };

  const bufferNames = opt.kind === 'adam' ? ['exp_avg', 'exp_avg_sq'] : [];
  return {
    name: 'onnx',
    backend: 'fake (TypeScript, tests only)',
    calls,
    async trainSteps(batches) {
      calls.trainSteps++;
      return Float32Array.from(batches, trainOne);
    },
    async evaluate(images, labels, count): Promise<EvaluationResult> {
      calls.evaluate++;
      const losses = new Float32Array(count);
      const predictions = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const acts = forward(input(images, i));
        const out = acts[acts.length - 1];
        losses[i] = crossEntropy(out, labels[i]).loss;
        let arg = 0;
        for (let k = 1; k < out.length; k++) if (out[k] > out[arg]) arg = k;
        predictions[i] = arg;
      }
      return { losses, predictions };
    },
    async predict(images, count) {
      const out = new Float32Array(count * NUM_CLASSES);
      for (let i = 0; i < count; i++) out.set(forward(input(images, i)).at(-1)!, i * NUM_CLASSES);
      return out;
    },
    async getParameters() {
      const t: NamedTensors = new Map();
      for (const l of layers) {
        t.set(l.wName, { shape: [l.outF, l.inF], data: new Float32Array(l.w) });
        t.set(l.bName, { shape: [l.outF], data: new Float32Array(l.b) });
      }
      return t;
    },
    async setParameters(p) {
      calls.setParameters++;
      for (const l of layers) {
        l.w.set(p.get(l.wName)!.data);
        l.b.set(p.get(l.bName)!.data);
      }
    },
    async getOptimizerState(): Promise<OptimizerState> {
      const tensors: NamedTensors = new Map();
      layers.forEach((l, li) => {
        bufferNames.forEach((buf, bi) => {
          const src = bi === 0 ? m1 : m2;
          tensors.set(`${buf}/${l.wName}`, { shape: [l.outF, l.inF], data: new Float32Array(src[li][0]) });
          tensors.set(`${buf}/${l.bName}`, { shape: [l.outF], data: new Float32Array(src[li][1]) });
        });
      });
      return { step, tensors: cloneTensors(tensors) };
    },
    async setOptimizerState(s) {
      step = s.step;
      layers.forEach((l, li) => {
        bufferNames.forEach((buf, bi) => {
          const dst = bi === 0 ? m1 : m2;
          dst[li][0].set(s.tensors.get(`${buf}/${l.wName}`)!.data);
          dst[li][1].set(s.tensors.get(`${buf}/${l.bName}`)!.data);
        });
      });
    },
    async dispose() {},
  };
}

/**
 * A synthetic 10-class problem: each class is a random blob pattern; an image is its class's
 * pattern with pixel noise and a random brightness. Learnable, not trivial.
 */
export function syntheticSplit(count: number, seed: number): Split {
  const rand = mulberry32(seed);
  const protoRand = mulberry32(12345);
  const protos = Array.from({ length: NUM_CLASSES }, () =>
    Float32Array.from({ length: PIXELS }, () => (protoRand() < 0.3 ? 1 : 0)),
  );
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % NUM_CLASSES;
    labels[i] = c;
    const gain = 0.5 + 0.5 * rand();
    for (let k = 0; k < PIXELS; k++) {
      const v = protos[c][k] * gain * 160 + rand() * 160;
      images[i * PIXELS + k] = Math.min(255, Math.round(v));
    }
  }
  return { images, labels, count };
}
