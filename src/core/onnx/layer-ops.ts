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
      patches.push(slice);
    }
  // k² × [Ci, B, Ho, Wo] joined on the batch axis is [Ci, k²·B, Ho, Wo], laid out as [Ci, k², B, Ho, Wo]
  // → [Ci·k², B·Ho·Wo]
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
 * input, for stride 1: a Conv of dy with the kernel flipped and its channel axes swapped (profiled
 * on 2 threads, batch 128, 32→64 channels at 14×14: 5.6 ms against ConvTranspose's 10.6 ms, whose
 * per-image GEMMs and col2im wake the thread pool 128 times; on 1 thread ConvTranspose is ~15%
 * faster); other strides: ConvTranspose(dy, W) with the output padding that restores the input size.
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
  if (m.stride === 1 && m.padding < m.kernel) {
    // dx = Conv(dy, W flipped in both spatial axes with in/out channels swapped, padding k-1-p).
    const k = m.kernel;
    const flipped = g.op('Slice', [
      g.op('Transpose', [weight], { perm: [1, 0, 2, 3] }),
      g.constInt64([k - 1, k - 1]),
      g.constInt64([-(k + 1), -(k + 1)]),
      g.constInt64([2, 3]),
      g.constInt64([-1, -1]),
    ]);
    const q = k - 1 - m.padding;
    const input = g.op('Conv', [dy, flipped], { kernel_shape: [k, k], strides: [1, 1], pads: [q, q, q, q] });
    return { weight: weightGrad, bias, input };
  }
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

/**
 * MaxPool2d backward: dy sent to the argmax of each window (the first maximum, as ATen). Windows
 * that do not overlap (stride ≥ kernel, as in MaxPool2d's default) hit each input at most once:
 * MaxUnpool writes dy there (profiled: a sixth of ScatterElements' cost). Overlapping windows
 * add up, through ScatterElements with reduction 'add'.
 */
export function maxPoolBackward(g: GraphBuilder, m: Pool, x: string, indices: string, dy: string): string {
  if (m.stride >= m.kernel) return g.op('MaxUnpool', [dy, indices, g.op('Shape', [x])], poolAttributes(m));
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
  /** x − batch mean, and 1/σ per channel [C]: what the backward pass needs. */
  readonly centred: string;
  readonly invstd: string;
  /** running_mean, running_var, num_batches_tracked after this batch (torch's update, unbiased variance). */
  readonly running: readonly [string, string, string];
}

/** x·scale + shift per channel in one pass: BatchNormalization with mean 0, variance 1 and ε 0 (1/√1 is exact). */
function perChannelAffine(g: GraphBuilder, m: BatchNorm, x: string, scale: string, shift: string): string {
  const zero = g.constFloat(new Array(m.features).fill(0));
  const one = g.constFloat(new Array(m.features).fill(1));
  return g.op('BatchNormalization', [x, scale, shift, zero, one], { epsilon: { float: 0 } });
}

/**
 * BatchNorm in training mode, as ATen computes it: the batch mean, the biased variance as the
 * mean of (x − mean)², 1/σ = 1/√(var + ε), and the output x·(γ/σ) + (β − mean·γ/σ) — which is
 * what onnxruntime's BatchNormalization does given the batch mean and variance, in one pass.
 * The running-statistics update comes back as values.
 */
export function batchNormTrain(
  g: GraphBuilder,
  m: BatchNorm,
  x: string,
  p: { weight: string; bias: string; mean: string; variance: string; count: string },
): BatchNormTrain {
  const axes = bnAxes(m);
  const mean = g.op('ReduceMean', [x], { axes, keepdims: 1 });
  const centred = g.op('Sub', [x, mean]);
  // n values per channel; the running variance is unbiased: var · n / (n - 1).
  const n = g.op('Div', [g.op('Cast', [g.op('Size', [x])], { to: 1 }), g.constFloat(m.features)]);
  // ReduceSum of the squares: onnxruntime's ReduceSumSquare has no fast path for these axes (3× slower).
  const squares = g.op('Mul', [centred, centred]);
  const variance = g.op('Div', [g.op('ReduceSum', [squares, g.constInt64(axes)], { keepdims: 0 }), n]);
  const invstd = g.op('Div', [g.constFloat(1), g.op('Sqrt', [g.op('Add', [variance, g.constFloat(BATCH_NORM_EPS)])])]);
  const flatMean = g.op('Reshape', [mean, g.constInt64([-1])]);
  const output = g.op('BatchNormalization', [x, p.weight, p.bias, flatMean, variance], {
    epsilon: { float: BATCH_NORM_EPS },
  });
  const unbiased = g.op('Mul', [variance, g.op('Div', [n, g.op('Sub', [n, g.constFloat(1)])])]);
  const blend = (running: string, batch: string) =>
    g.op('Add', [
      g.op('Mul', [running, g.constFloat(1 - BATCH_NORM_MOMENTUM)]),
      g.op('Mul', [batch, g.constFloat(BATCH_NORM_MOMENTUM)]),
    ]);
  return {
    output,
    centred,
    invstd,
    running: [blend(p.mean, flatMean), blend(p.variance, unbiased), g.op('Add', [p.count, g.constFloat(1)])],
  };
}

/**
 * BatchNorm backward (training mode) with ATen's two reductions: Σdy (the bias gradient) and
 * Σdy·(x − mean) (times 1/σ, the weight gradient); the input gradient
 * (dy − Σdy/n − (x − mean)·k)·γ/σ with k = Σdy·(x − mean)/(n·σ²).
 */
export function batchNormBackward(
  g: GraphBuilder,
  m: BatchNorm,
  s: { centred: string; invstd: string; weight: string },
  dy: string,
  needInput: boolean,
): { weight: string; bias: string; input?: string } {
  const axes = g.constInt64(bnAxes(m));
  const bias = g.op('ReduceSum', [dy, axes], { keepdims: 0 });
  const dot = g.op('ReduceSum', [g.op('Mul', [dy, s.centred]), axes], { keepdims: 0 });
  const weight = g.op('Mul', [dot, s.invstd]);
  if (!needInput) return { weight, bias };
  const n = g.op('Div', [g.op('Cast', [g.op('Size', [dy])], { to: 1 }), g.constFloat(m.features)]);
  const k = g.op('Div', [g.op('Mul', [g.op('Mul', [dot, s.invstd]), s.invstd]), n]);
  const projected = perChannelAffine(g, m, s.centred, k, g.op('Div', [bias, n]));
  const input = g.op('Mul', [g.op('Sub', [dy, projected]), perChannel(g, m, g.op('Mul', [s.invstd, s.weight]))]);
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
