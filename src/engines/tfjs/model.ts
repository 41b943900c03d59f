import type * as TfModule from '@tensorflow/tfjs-core';
import type { Module } from '../../core/model/modules.js';
import { LEAKY_RELU_SLOPE, type StackModule } from '../../core/model/spec.js';
import { batchNorm, conv2d, pool } from './layers.js';
import { NUM_CLASSES, PIXELS } from '../../core/dataset/types.js';
import type { LossName } from '../../core/train/hyperparameters.js';
import type { Tf } from './load.js';

type Tensor = TfModule.Tensor;
type Tensor2D = TfModule.Tensor2D;
type Tensor4D = TfModule.Tensor4D;

/** uint8 pixel → float32 pixel / 255, like torchvision's ToTensor. */
const PIXEL_SCALE = Float32Array.from({ length: 256 }, (_, i) => i / 255);

export function pixelsToFloat(images: Uint8Array, start: number, count: number): Float32Array {
  const out = new Float32Array(count * PIXELS);
  const base = start * PIXELS;
  for (let i = 0; i < out.length; i++) out[i] = PIXEL_SCALE[images[base + i]];
  return out;
}

/** Row-major [rows, cols] → [cols, rows]: weights live transposed inside the engine (see `linear`). */
export function transposeData(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/**
 * y = x·K + b, where K = Wᵀ is the weight stored [in, out] inside the engine (PyTorch's
 * [out, in] at the interface: getParameters/setParameters and the optimizer state transpose).
 * The gradient is stated explicitly (dx = dy·Kᵀ, dK = xᵀ·dy, db = Σ dy) with explicit
 * transposes: the wasm backend's matMul is 10-20× slower with its transpose flags (which tf's
 * own matMul gradient uses) than on plain row-major operands, and this layout keeps the
 * largest weight out of every transpose. Everything else is differentiated by TF.js; a test
 * checks this gradient against tf.matMul's own. `inputIsConstant` skips dx for the pixels.
 */
export function linear(tf: Tf, x: Tensor2D, kernel: Tensor2D, b: Tensor, inputIsConstant: boolean): Tensor2D {
  if (inputIsConstant) {
    const op = tf.customGrad((...args: unknown[]) => {
      const [kt, bt] = args as [Tensor2D, Tensor];
      return {
        value: tf.add(tf.matMul(x, kt), bt) as Tensor2D,
        gradFunc: (dy: Tensor2D) => [tf.matMul(tf.transpose(x), dy), tf.sum(dy, 0)],
      };
    });
    return op(kernel, b);
  }
  const op = tf.customGrad((...args: unknown[]) => {
    const [xt, kt, bt, save] = args as [Tensor2D, Tensor2D, Tensor, TfModule.GradSaveFunc];
    save([xt, kt]);
    return {
      value: tf.add(tf.matMul(xt, kt), bt) as Tensor2D,
      gradFunc: (dy: Tensor2D, saved: Tensor[]) => {
        const [xs, ks] = saved as [Tensor2D, Tensor2D];
        return [tf.matMul(dy, tf.transpose(ks)), tf.matMul(tf.transpose(xs), dy), tf.sum(dy, 0)];
      },
    };
  });
  return op(x, kernel, b);
}

export interface ForwardOptions {
  /** Use tf.matMul and TF.js's own gradient for the Linear layers too (slower on wasm; for cross-checks). */
  readonly pureAutodiff?: boolean;
  /** Per dropout module (by Sequential index): the multiplier (0 or 1/(1-p)), [n, units]; absent in eval mode. */
  readonly dropoutNoise?: ReadonlyMap<number, Tensor2D>;
  /** Conv2d and BatchNorm parameters by state_dict name (Linear ones come in `params`). */
  readonly parameter?: (name: string) => Tensor;
  /**
   * Training mode for BatchNorm: receives each BatchNorm's batch mean and biased variance
   * (kept tensors: the caller disposes them). Absent: eval mode, running statistics.
   */
  readonly batchStats?: (module: Module, mean: Tensor, variance: Tensor, count: number) => void;
}

/** The spec's Sequential on a [n, 784] float batch (a layer list reshapes it to [n, 1, 28, 28]). */
export function forward(
  tf: Tf,
  modules: readonly StackModule[],
  /** Sequential index → the layer's kernel (weight transposed, [in, out]) and bias. */
  params: ReadonlyMap<number, { kernel: Tensor2D; bias: Tensor }>,
  x: Tensor2D,
  options: ForwardOptions = {},
): Tensor2D {
  let h: Tensor = modules[0].inShape.length === 3 ? tf.reshape(x, [-1, ...modules[0].inShape]) : x;
  let first = true;
  const param = (m: Module, field: string) => options.parameter!(`${m.name}.${field}`);
  for (const m of modules) {
    switch (m.kind) {
      case 'linear': {
        const p = params.get(m.index)!;
        h = options.pureAutodiff
          ? (tf.add(tf.matMul(h as Tensor2D, p.kernel), p.bias) as Tensor2D)
          : linear(tf, h as Tensor2D, p.kernel, p.bias, first);
        first = false;
        break;
      }
      case 'conv2d':
        h = conv2d(tf, m, h as Tensor4D, param(m, 'weight'), param(m, 'bias'));
        first = false;
        break;
      case 'maxpool':
      case 'avgpool':
        h = pool(tf, m, h as Tensor4D);
        break;
      case 'batchnorm': {
        const collect = options.batchStats;
        h = batchNorm(
          tf,
          m,
          h,
          {
            weight: param(m, 'weight'),
            bias: param(m, 'bias'),
            runningMean: param(m, 'running_mean'),
            runningVar: param(m, 'running_var'),
          },
          collect && ((mean, variance, count) => collect(m, mean, variance, count)),
        );
        first = false;
        break;
      }
      case 'flatten':
        h = tf.reshape(h, [-1, m.outShape[0]]);
        break;
      case 'activation':
        h =
          m.activation === 'relu'
            ? tf.relu(h)
            : m.activation === 'tanh'
              ? tf.tanh(h)
              : m.activation === 'sigmoid'
                ? tf.sigmoid(h)
                : tf.leakyRelu(h, LEAKY_RELU_SLOPE);
        break;
      case 'dropout': {
        const noise = options.dropoutNoise?.get(m.index);
        if (noise) h = tf.mul(h, m.inShape.length > 1 ? tf.reshape(noise, h.shape) : noise);
        break;
      }
      case 'log_softmax':
        h = tf.logSoftmax(h as Tensor2D);
        break;
    }
  }
  return h as Tensor2D;
}

/** Per-sample loss (PyTorch's definition before the batch mean); `oneHot` is float [n, 10]. */
export function perSampleLoss(tf: Tf, loss: LossName, output: Tensor2D, oneHot: Tensor2D): TfModule.Tensor1D {
  switch (loss) {
    case 'cross_entropy':
      return tf.neg(tf.sum(tf.mul(tf.logSoftmax(output), oneHot), 1)) as TfModule.Tensor1D;
    case 'nll':
      return tf.neg(tf.sum(tf.mul(output, oneHot), 1)) as TfModule.Tensor1D;
    case 'mse':
      return tf.mean(tf.square(tf.sub(output, oneHot)), 1);
  }
}

/** The batch loss with PyTorch's mean reduction (MSE: over batch × 10 elements). */
export function batchLoss(tf: Tf, loss: LossName, output: Tensor2D, oneHot: Tensor2D): TfModule.Scalar {
  if (loss === 'mse') return tf.mean(tf.square(tf.sub(output, oneHot)));
  return tf.mean(perSampleLoss(tf, loss, output, oneHot));
}

// Built in JS: the wasm backend's oneHot writes integer bits into a float32 output (tfjs 4.22).
/** One-hot targets; with label smoothing x, torch's smoothed target (1 - x)·one-hot + x/10. */
export function oneHotLabels(tf: Tf, labels: Uint8Array, start: number, count: number, labelSmoothing = 0): Tensor2D {
  const data = new Float32Array(count * NUM_CLASSES).fill(labelSmoothing / NUM_CLASSES);
  for (let i = 0; i < count; i++) {
    const label = labels[start + i];
    if (!(label < NUM_CLASSES)) throw new Error(`label ${label} at ${start + i} is not a class 0..${NUM_CLASSES - 1}`);
    data[i * NUM_CLASSES + label] = 1 - labelSmoothing + labelSmoothing / NUM_CLASSES;
  }
  return tf.tensor2d(data, [count, NUM_CLASSES]);
}
