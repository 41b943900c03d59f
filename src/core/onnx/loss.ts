import { NUM_CLASSES } from '../dataset/types.js';
import type { LossName } from '../train/hyperparameters.js';
import type { GraphBuilder } from './builder.js';

/** uint8 labels [batch] (or [steps, batch]) → float one-hot [batch, 10] (or [steps, batch, 10]). */
export function oneHot(g: GraphBuilder, labels: string): string {
  const column = g.op('Unsqueeze', [g.op('Cast', [labels], { to: 6 }), g.constInt64([-1])]);
  const classes = g.constInt32(Array.from({ length: NUM_CLASSES }, (_, i) => i));
  return g.op('Cast', [g.op('Equal', [column, classes])], { to: 1 });
}

/**
 * The cross-entropy target with torch's label smoothing x: (1 - x)·one-hot + x/10 (x = 0: the
 * one-hot itself). CrossEntropyLoss(label_smoothing=x) is the cross-entropy against this target,
 * and so is its gradient: softmax - target.
 */
export function smoothedTarget(g: GraphBuilder, labels: string, labelSmoothing: number): string {
  const target = oneHot(g, labels);
  if (labelSmoothing === 0) return target;
  return g.op('Add', [
    g.op('Mul', [target, g.constFloat(1 - labelSmoothing)]),
    g.constFloat(labelSmoothing / NUM_CLASSES),
  ]);
}

/** The batch size of a [batch, …] value (batch along `axis`) as a float scalar. */
export function batchSizeFloat(g: GraphBuilder, x: string, axis = 0): string {
  const n = g.op('Gather', [g.op('Shape', [x]), g.constInt64(axis)], { axis: 0 });
  return g.op('Cast', [n], { to: 1 });
}

/** Per-sample loss [batch] (PyTorch's loss with reduction='none'; MSE averaged over the 10 outputs). */
export function perSampleLoss(g: GraphBuilder, loss: LossName, output: string, target: string): string {
  switch (loss) {
    case 'cross_entropy':
      return g.op('Neg', [
        g.op('ReduceSum', [g.op('Mul', [g.op('LogSoftmax', [output], { axis: 1 }), target]), g.constInt64([1])], {
          keepdims: 0,
        }),
      ]);
    case 'nll':
      return g.op('Neg', [g.op('ReduceSum', [g.op('Mul', [output, target]), g.constInt64([1])], { keepdims: 0 })]);
    case 'mse': {
      const diff = g.op('Sub', [output, target]);
      return g.op('ReduceMean', [g.op('Mul', [diff, diff])], { axes: [1], keepdims: 0 });
    }
  }
}

export interface LossWithGradient {
  /** Scalar batch loss with PyTorch's mean reduction. */
  readonly loss: string;
  /** d loss / d output [batch, 10]. */
  readonly gradient: string;
}

/**
 * The batch loss and its gradient with respect to the model output, written the way ATen's
 * backward kernels compute them (nll: -1/N at the label; log_softmax: g - exp(y)·Σg;
 * mse: (y - t)·2/numel).
 */
export function lossWithGradient(
  g: GraphBuilder,
  loss: LossName,
  output: string,
  target: string,
  /** The batch size as a float scalar, if the caller has it (batchSizeFloat of output otherwise). */
  batchSize?: string,
): LossWithGradient {
  const n = batchSize ?? batchSizeFloat(g, output);
  switch (loss) {
    case 'cross_entropy': {
      const logProbs = g.op('LogSoftmax', [output], { axis: 1 });
      const picked = g.op('ReduceSum', [g.op('Mul', [logProbs, target]), g.constInt64([1])], { keepdims: 0 });
      const lossValue = g.op('Neg', [g.op('ReduceMean', [picked], { keepdims: 0 })]);
      const invN = g.op('Div', [g.constFloat(1), n]);
      // nll's gradient is -1/N at the label; log_softmax's backward adds exp(y)·(1/N).
      const gradient = g.op('Sub', [g.op('Mul', [g.op('Exp', [logProbs]), invN]), g.op('Mul', [target, invN])]);
      return { loss: lossValue, gradient };
    }
    case 'nll': {
      const picked = g.op('ReduceSum', [g.op('Mul', [output, target]), g.constInt64([1])], { keepdims: 0 });
      const lossValue = g.op('Neg', [g.op('ReduceMean', [picked], { keepdims: 0 })]);
      const gradient = g.op('Neg', [g.op('Div', [target, n])]);
      return { loss: lossValue, gradient };
    }
    case 'mse': {
      const diff = g.op('Sub', [output, target]);
      const lossValue = g.op('ReduceMean', [g.op('Mul', [diff, diff])], { keepdims: 0 });
      const norm = g.op('Div', [g.constFloat(2), g.op('Mul', [n, g.constFloat(NUM_CLASSES)])]);
      return { loss: lossValue, gradient: g.op('Mul', [diff, norm]) };
    }
  }
}
