import type * as TfModule from '@tensorflow/tfjs-core';
import { BATCH_NORM_EPS, type Module } from '../../core/model/modules.js';
import type { Tf } from './load.js';

type Tensor = TfModule.Tensor;
type Tensor4D = TfModule.Tensor4D;
type Conv = Extract<Module, { kind: 'conv2d' }>;
type Pool = Extract<Module, { kind: 'maxpool' | 'avgpool' }>;
type BatchNorm = Extract<Module, { kind: 'batchnorm' }>;

/*
 * Conv2d, pooling and BatchNorm for the TF.js engine, in PyTorch's NCHW layout, built only from
 * ops whose gradients TF.js defines and whose kernels its wasm backend has (pad, slice, reshape,
 * stack, matMul, maximum, moments): the wasm backend has no Conv2DBackpropFilter kernel and
 * TF.js no StridedSlice gradient, so convolution is im2col + matMul and strided windows are
 * taken with pad + reshape + slice. TF.js's automatic differentiation does the rest: an
 * independent check of the ONNX engine's hand-written backward.
 */

/** x[:, :, kh + s·i, kw + s·j] for i < oh, j < ow: one window position over the whole input. */
function windowSlice(tf: Tf, x: Tensor4D, kh: number, kw: number, s: number, oh: number, ow: number): Tensor4D {
  if (s === 1) return tf.slice(x, [0, 0, kh, kw], [-1, -1, oh, ow]);
  const [n, c, h, w] = x.shape;
  // Room for s·oh rows and s·ow columns from (kh, kw); the padding is never selected.
  const padH = Math.max(0, kh + s * oh - h);
  const padW = Math.max(0, kw + s * ow - w);
  const padded =
    padH || padW
      ? tf.pad(x, [
          [0, 0],
          [0, 0],
          [0, padH],
          [0, padW],
        ])
      : x;
  const block = tf.slice(padded, [0, 0, kh, kw], [-1, -1, s * oh, s * ow]);
  const grid = tf.reshape(block, [n, c, oh, s, ow, s]);
  return tf.reshape(tf.slice(grid, [0, 0, 0, 0, 0, 0], [-1, -1, -1, 1, -1, 1]), [n, c, oh, ow]);
}

/** The k² window positions of a k×k, stride-s window over x, in row-major (kh, kw) order. */
function windows(tf: Tf, x: Tensor4D, k: number, s: number, oh: number, ow: number): Tensor4D[] {
  const out: Tensor4D[] = [];
  for (let kh = 0; kh < k; kh++) for (let kw = 0; kw < k; kw++) out.push(windowSlice(tf, x, kh, kw, s, oh, ow));
  return out;
}

/** Conv2d with W [Co, Ci, k, k] as PyTorch stores it: im2col [Ci·k², N·Ho·Wo], then one matMul. */
export function conv2d(tf: Tf, m: Conv, x: Tensor4D, weight: Tensor, bias: Tensor): Tensor4D {
  const [, oh, ow] = m.outShape;
  const n = x.shape[0];
  const p = m.padding;
  const padded =
    p > 0
      ? tf.pad(x, [
          [0, 0],
          [0, 0],
          [p, p],
          [p, p],
        ])
      : x;
  const cols = tf.stack(windows(tf, padded, m.kernel, m.stride, oh, ow), 2); // [N, Ci, k², Ho, Wo]
  const rows = tf.reshape(tf.transpose(cols, [1, 2, 0, 3, 4]), [m.inChannels * m.kernel * m.kernel, n * oh * ow]);
  const y = tf.matMul(tf.reshape(weight, [m.outChannels, -1]), rows); // [Co, N·Ho·Wo]
  const nchw = tf.transpose(tf.reshape(y, [m.outChannels, n, oh, ow]), [1, 0, 2, 3]);
  return tf.add(nchw, tf.reshape(bias, [1, m.outChannels, 1, 1]));
}

/**
 * MaxPool2d and AvgPool2d over the k² window positions. Max is a chain of tf.maximum, whose
 * gradient goes to its first argument on ties: the first maximum in row-major order, as in torch.
 */
export function pool(tf: Tf, m: Pool, x: Tensor4D): Tensor4D {
  const [, oh, ow] = m.outShape;
  const parts = windows(tf, x, m.kernel, m.stride, oh, ow);
  if (m.kind === 'maxpool') return parts.reduce((a, b) => tf.maximum(a, b));
  return tf.div(tf.addN(parts), m.kernel * m.kernel);
}

export interface BatchNormParameters {
  readonly weight: Tensor;
  readonly bias: Tensor;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
}

/**
 * BatchNorm over [N, C, H, W] or [N, C]: batch statistics in training (`stats` receives the
 * batch mean and biased variance per channel, kept past the tape for the running update),
 * running statistics in eval mode.
 */
export function batchNorm(
  tf: Tf,
  m: BatchNorm,
  x: Tensor,
  p: BatchNormParameters,
  stats?: (mean: Tensor, variance: Tensor, count: number) => void,
): Tensor {
  const image = m.inShape.length === 3;
  const shape = image ? [1, m.features, 1, 1] : [1, m.features];
  let mean: Tensor;
  let variance: Tensor;
  if (stats) {
    const moments = tf.moments(x, image ? [0, 2, 3] : [0], true);
    mean = moments.mean;
    variance = moments.variance;
    stats(tf.keep(tf.reshape(mean, [-1])), tf.keep(tf.reshape(variance, [-1])), x.size / m.features);
  } else {
    mean = tf.reshape(p.runningMean, shape);
    variance = tf.reshape(p.runningVar, shape);
  }
  const normalised = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BATCH_NORM_EPS)));
  return tf.add(tf.mul(normalised, tf.reshape(p.weight, shape)), tf.reshape(p.bias, shape));
}
