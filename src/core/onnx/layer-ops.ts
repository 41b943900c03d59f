import { BATCH_NORM_EPS, BATCH_NORM_MOMENTUM, type Module } from '../model/modules.js';
import type { GraphBuilder } from './builder.js';

type Conv = Extract<Module, { kind: 'conv2d' }>;
type Pool = Extract<Module, { kind: 'maxpool' | 'avgpool' }>;
type BatchNorm = Extract<Module, { kind: 'batchnorm' }>;

/** Reduction axes of a BatchNorm over its input: all but the channel axis. */
const bnAxes = (m: BatchNorm) => (m.inShape.length === 3 ? [0, 2, 3] : [0]);
/** [C] → [1, C, 1, 1] (or [1, C]) so it broadcasts over the batch and the image. */
const perChannel = (g: GraphBuilder, m: BatchNorm, v: string) =>
  g.op('Reshape', [v, g.constInt64(m.inShape.length === 3 ? [1, -1, 1, 1] : [1, -1])]);

export function convAttributes(m: Conv) {
  return {
    kernel_shape: [m.kernel, m.kernel],
    strides: [m.stride, m.stride],
    pads: [m.padding, m.padding, m.padding, m.padding],
  };
}

/**
 * im2col of a Conv2d's input, transposed: [Ci·k·k, batch·Ho·Wo], rows ordered like the weight's
 * [Co, Ci, k, k] flattened, so the weight gradient is one GEMM (onnxruntime's Conv with a 14×14
 * "kernel" over the batch ran at a fifth of MatMul's speed). The input is put channel-first
 * once ([Ci, B, H, W]); then each of the k² strided Slices is a block of whole rows, and the
 * Concat copies contiguous runs (profiled: a 5-D Transpose of the patches cost as much as the GEMM).
 */
function im2colRows(g: GraphBuilder, m: Conv, x: string): string {
  const [, oh, ow] = m.outShape;
  const p = m.padding;
  const channelFirst = g.op('Transpose', [x], { perm: [1, 0, 2, 3] });
  const padded = p > 0 ? g.op('Pad', [channelFirst, g.constInt64([0, 0, p, p, 0, 0, p, p])]) : channelFirst;
  const patches: string[] = [];
  for (let kh = 0; kh < m.kernel; kh++)
    for (let kw = 0; kw < m.kernel; kw++) {
      const slice = g.op('Slice', [
        padded,
        g.constInt64([kh, kw]),
        g.constInt64([kh + m.stride * (oh - 1) + 1, kw + m.stride * (ow - 1) + 1]),
        g.constInt64([2, 3]),
        g.constInt64([m.stride, m.stride]),
      ]);
      patches.push(g.op('Unsqueeze', [slice, g.constInt64([1])]));
    }
  // [Ci, k², B, Ho, Wo] → [Ci·k², B·Ho·Wo]
  const stacked = patches.length === 1 ? patches[0] : g.op('Concat', patches, { axis: 1 });
  return g.op('Reshape', [stacked, g.constInt64([m.inChannels * m.kernel * m.kernel, -1])]);
}

export interface ConvGradients {
  readonly weight: string;
  readonly bias: string;
  /** Absent when the input needs no gradient (the pixels). */
  readonly input?: string;
}

/**
 * Conv2d backward: bias = Σ dy over batch and positions; weight = dy·im2col(x)ᵀ as one GEMM;
 * input = ConvTranspose(dy, W) with the output padding that restores the input size (profiled:
 * faster than a Conv of dy with the flipped kernel, whose im2col is over the wider side).
 */
export function convBackward(
  g: GraphBuilder,
  m: Conv,
  x: string,
  weight: string,
  dy: string,
  needInput: boolean,
): ConvGradients {
  const bias = g.op('ReduceSum', [dy, g.constInt64([0, 2, 3])], { keepdims: 0 });
  // dy [B, Co, Ho, Wo] → [Co, B·Ho·Wo]
  const dyRows = g.op('Reshape', [g.op('Transpose', [dy], { perm: [1, 0, 2, 3] }), g.constInt64([m.outChannels, -1])]);
  const dw = g.op('Gemm', [dyRows, im2colRows(g, m, x)], { transB: 1 });
  const weightGrad = g.op('Reshape', [dw, g.constInt64([m.outChannels, m.inChannels, m.kernel, m.kernel])]);
  if (!needInput) return { weight: weightGrad, bias };
  const rest = (m.inShape[1] + 2 * m.padding - m.kernel) % m.stride;
  const input = g.op('ConvTranspose', [dy, weight], {
    ...convAttributes(m),
    output_padding: [rest, (m.inShape[2] + 2 * m.padding - m.kernel) % m.stride],
  });
  return { weight: weightGrad, bias, input };
}

export function poolAttributes(m: Pool) {
  return { kernel_shape: [m.kernel, m.kernel], strides: [m.stride, m.stride] };
}

/** MaxPool2d backward: dy scattered (added, windows may overlap) to the argmax of each window. */
export function maxPoolBackward(g: GraphBuilder, x: string, indices: string, dy: string): string {
  const flat = g.constInt64([-1]);
  const zeros = g.op('ConstantOfShape', [g.op('Reshape', [g.op('Size', [x]), flat])]);
  const scattered = g.op('ScatterElements', [zeros, g.op('Reshape', [indices, flat]), g.op('Reshape', [dy, flat])], {
    axis: 0,
    reduction: 'add',
  });
  return g.op('Reshape', [scattered, g.op('Shape', [x])]);
}

/** AvgPool2d backward: each dy spread evenly over its window (a depthwise ConvTranspose with 1/k² weights). */
export function avgPoolBackward(g: GraphBuilder, m: Pool, dy: string): string {
  const channels = m.inShape[0];
  const share = g.constFloat(new Array(channels * m.kernel * m.kernel).fill(1 / (m.kernel * m.kernel)));
  const kernel = g.op('Reshape', [share, g.constInt64([channels, 1, m.kernel, m.kernel])]);
  return g.op('ConvTranspose', [dy, kernel], {
    ...poolAttributes(m),
    group: channels,
    output_padding: [(m.inShape[1] - m.kernel) % m.stride, (m.inShape[2] - m.kernel) % m.stride],
  });
}

export interface BatchNormTrain {
  readonly output: string;
  readonly xhat: string;
  readonly invstd: string;
  /** running_mean, running_var, num_batches_tracked after this batch (torch's update, unbiased variance). */
  readonly running: readonly [string, string, string];
}

/** BatchNorm in training mode: batch statistics, and the running-statistics update as values. */
export function batchNormTrain(
  g: GraphBuilder,
  m: BatchNorm,
  x: string,
  p: { weight: string; bias: string; mean: string; variance: string; count: string },
): BatchNormTrain {
  const mean = g.op('ReduceMean', [x], { axes: bnAxes(m), keepdims: 1 });
  const xc = g.op('Sub', [x, mean]);
  const variance = g.op('ReduceMean', [g.op('Mul', [xc, xc])], { axes: bnAxes(m), keepdims: 1 });
  const invstd = g.op('Div', [g.constFloat(1), g.op('Sqrt', [g.op('Add', [variance, g.constFloat(BATCH_NORM_EPS)])])]);
  const xhat = g.op('Mul', [xc, invstd]);
  const output = g.op('Add', [g.op('Mul', [xhat, perChannel(g, m, p.weight)]), perChannel(g, m, p.bias)]);
  // n values per channel; the running variance is unbiased: var · n / (n - 1).
  const n = g.op('Div', [g.op('Cast', [g.op('Size', [x])], { to: 1 }), g.constFloat(m.features)]);
  const unbiased = g.op('Mul', [variance, g.op('Div', [n, g.op('Sub', [n, g.constFloat(1)])])]);
  const flat = (v: string) => g.op('Reshape', [v, g.constInt64([-1])]);
  const blend = (running: string, batch: string) =>
    g.op('Add', [
      g.op('Mul', [running, g.constFloat(1 - BATCH_NORM_MOMENTUM)]),
      g.op('Mul', [flat(batch), g.constFloat(BATCH_NORM_MOMENTUM)]),
    ]);
  return {
    output,
    xhat,
    invstd,
    running: [blend(p.mean, mean), blend(p.variance, unbiased), g.op('Add', [p.count, g.constFloat(1)])],
  };
}

/** BatchNorm backward (training mode): weight, bias and (unless not needed) input gradients, as ATen computes them. */
export function batchNormBackward(
  g: GraphBuilder,
  m: BatchNorm,
  s: { xhat: string; invstd: string; weight: string },
  dy: string,
  needInput: boolean,
): { weight: string; bias: string; input?: string } {
  const axes = bnAxes(m);
  const dyXhat = g.op('Mul', [dy, s.xhat]);
  const weight = g.op('ReduceSum', [dyXhat, g.constInt64(axes)], { keepdims: 0 });
  const bias = g.op('ReduceSum', [dy, g.constInt64(axes)], { keepdims: 0 });
  if (!needInput) return { weight, bias };
  const meanDy = g.op('ReduceMean', [dy], { axes, keepdims: 1 });
  const meanDyXhat = g.op('ReduceMean', [dyXhat], { axes, keepdims: 1 });
  const centred = g.op('Sub', [g.op('Sub', [dy, meanDy]), g.op('Mul', [s.xhat, meanDyXhat])]);
  const input = g.op('Mul', [centred, g.op('Mul', [s.invstd, perChannel(g, m, s.weight)])]);
  return { weight, bias, input };
}

/** BatchNorm in eval mode: ONNX BatchNormalization with the running statistics. */
export function batchNormEval(
  g: GraphBuilder,
  x: string,
  p: { weight: string; bias: string; mean: string; variance: string },
  out?: string,
): string {
  return g.op(
    'BatchNormalization',
    [x, p.weight, p.bias, p.mean, p.variance],
    { epsilon: { float: BATCH_NORM_EPS } },
    out,
  );
}
