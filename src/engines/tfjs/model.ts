import type * as TfModule from '@tensorflow/tfjs';
import { LEAKY_RELU_SLOPE, type StackModule } from '../../core/model/spec.js';
import { NUM_CLASSES, PIXELS } from '../../core/dataset/types.js';
import type { LossName } from '../../core/train/hyperparameters.js';
import type { Tf } from './load.js';

type Tensor = TfModule.Tensor;
type Tensor2D = TfModule.Tensor2D;

/** uint8 pixel → float32 pixel / 255, like torchvision's ToTensor. */
const PIXEL_SCALE = Float32Array.from({ length: 256 }, (_, i) => i / 255);

export function pixelsToFloat(images: Uint8Array, start: number, count: number): Float32Array {
  const out = new Float32Array(count * PIXELS);
  const base = start * PIXELS;
  for (let i = 0; i < out.length; i++) out[i] = PIXEL_SCALE[images[base + i]];
  return out;
}

/**
 * y = x·Wᵀ + b with W stored [out, in] as in PyTorch. Its gradient is stated explicitly
 * (dx = dy·W, dW = dyᵀ·x, db = Σ dy) with explicit transposes: the wasm backend's matMul is
 * 10-20× slower with its transpose flags (which tf's own matMul gradient uses) than on plain
 * row-major operands. Everything else is differentiated by TF.js; a test checks this gradient
 * against tf's own matMul gradient. `inputIsConstant` skips dx for the first layer (the pixels).
 */
export function linear(tf: Tf, x: Tensor2D, w: Tensor2D, b: Tensor, inputIsConstant: boolean): Tensor2D {
  if (inputIsConstant) {
    const op = tf.customGrad((...args: unknown[]) => {
      const [wt, bt] = args as [Tensor2D, Tensor];
      return {
        value: tf.add(tf.matMul(x, tf.transpose(wt)), bt) as Tensor2D,
        gradFunc: (dy: Tensor2D) => [tf.matMul(tf.transpose(dy), x), tf.sum(dy, 0)],
      };
    });
    return op(w, b);
  }
  const op = tf.customGrad((...args: unknown[]) => {
    const [xt, wt, bt, save] = args as [Tensor2D, Tensor2D, Tensor, TfModule.GradSaveFunc];
    save([xt, wt]);
    return {
      value: tf.add(tf.matMul(xt, tf.transpose(wt)), bt) as Tensor2D,
      gradFunc: (dy: Tensor2D, saved: Tensor[]) => {
        const [xs, ws] = saved as [Tensor2D, Tensor2D];
        return [tf.matMul(dy, ws), tf.matMul(tf.transpose(dy), xs), tf.sum(dy, 0)];
      },
    };
  });
  return op(x, w, b);
}

export interface ForwardOptions {
  /** Use tf.matMul and TF.js's own gradient for the Linear layers too (slower on wasm; for cross-checks). */
  readonly pureAutodiff?: boolean;
  /** Per dropout module (by Sequential index): the multiplier (0 or 1/(1-p)) for training; absent in eval mode. */
  readonly dropoutNoise?: ReadonlyMap<number, Tensor2D>;
}

/** The spec's Sequential on a [n, 784] float batch; `weights` and `biases` by Sequential index. */
export function forward(
  tf: Tf,
  modules: readonly StackModule[],
  params: ReadonlyMap<number, { weight: Tensor2D; bias: Tensor }>,
  x: Tensor2D,
  options: ForwardOptions = {},
): Tensor2D {
  let h = x;
  let first = true;
  for (const m of modules) {
    switch (m.kind) {
      case 'linear': {
        const p = params.get(m.index)!;
        h = options.pureAutodiff ? (tf.add(tf.matMul(h, p.weight, false, true), p.bias) as Tensor2D) : linear(tf, h, p.weight, p.bias, first);
        first = false;
        break;
      }
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
        if (noise) h = tf.mul(h, noise);
        break;
      }
      case 'log_softmax':
        h = tf.logSoftmax(h);
        break;
    }
  }
  return h;
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
export function oneHotLabels(tf: Tf, labels: Uint8Array, start: number, count: number): Tensor2D {
  const data = new Float32Array(count * NUM_CLASSES);
  for (let i = 0; i < count; i++) {
    const label = labels[start + i];
    if (!(label < NUM_CLASSES)) throw new Error(`label ${label} at ${start + i} is not a class 0..${NUM_CLASSES - 1}`);
    data[i * NUM_CLASSES + label] = 1;
  }
  return tf.tensor2d(data, [count, NUM_CLASSES]);
}
