import { LEAKY_RELU_SLOPE } from '../model/spec.js';
import { DT, type GraphBuilder, tensorProto } from './builder.js';
import type { ForwardTrace } from './forward.js';
import { avgPoolBackward, batchNormBackward, convBackward, maxPoolBackward } from './layer-ops.js';

/** A float ones column [batch, 1] for the batch along `axis` of x. */
export function onesColumn(g: GraphBuilder, x: string, axis = 0): string {
  const shape = g.op('Concat', [g.op('Shape', [x], { start: axis, end: axis + 1 }), g.constInt64([1])], { axis: 0 });
  return g.op('ConstantOfShape', [shape], { value: { tensor: tensorProto('', DT.float, [1], Float32Array.of(1)) } });
}

/** One parameter's gradient. */
export interface Gradient {
  /** The gradient as a graph value (built on first use). */
  value(): string;
  /** Linear weights: dW = dyᵀ·x, so an update can fold it into its own Gemm instead. */
  readonly outer?: { readonly dy: string; readonly x: string };
}

/**
 * The hand-written backward pass of a forward trace: returns d loss / d parameter by
 * state_dict name. Gradients follow ATen's backward formulas (relu: g where y > 0;
 * leaky_relu: g·(x > 0 ? 1 : slope); tanh: g·(1 - y²); sigmoid: g·(1 - y)·y). The first
 * Linear layer's input gradient is skipped (the pixels need none).
 */
export function buildBackward(
  g: GraphBuilder,
  trace: ForwardTrace,
  outputGradient: string,
  /** onesColumn for the batch, if the caller has it (made from outputGradient's shape otherwise). */
  batchOnes?: string,
): Map<string, Gradient> {
  const grads = new Map<string, Gradient>();
  let dy = outputGradient;
  // A Linear bias's gradient, the column sums of dy, as Gemm(ones[batch, 1], dy, transA=1):
  // ~10 µs instead of ReduceSum's ~50 µs for 64×512. Up to a batch of 128 (one MLAS K block)
  // MLAS's general kernel sums each column in batch order from zero, one rounding per term, as
  // ReduceSum over axis 0 does: the same bits (the seed run's printed lines stay PyTorch's).
  // The transposed 1-row A keeps MLAS off its M = 1 kernel (MatMul(ones[batch], dy)), which
  // sums in another order. One ones column serves every layer (same batch).
  let ones = batchOnes;
  const column = () => (ones ??= onesColumn(g, outputGradient));
  for (let i = trace.steps.length - 1; i >= 0; i--) {
    const s = trace.steps[i];
    switch (s.kind) {
      case 'log_softmax': {
        const sum = g.op('ReduceSum', [dy, g.constInt64([1])], { keepdims: 1 });
        dy = g.op('Sub', [dy, g.op('Mul', [g.op('Exp', [s.output]), sum])]);
        break;
      }
      case 'activation':
        dy = activationBackward(g, s.activation, s.input, s.output, dy);
        break;
      case 'dropout':
        dy = g.op('Mul', [dy, s.mask]);
        break;
      case 'flatten':
        dy = g.op('Reshape', [dy, g.op('Shape', [s.input])]);
        break;
      case 'maxpool':
        if (s.relu) dy = activationBackward(g, 'relu', s.relu, s.relu, dy);
        dy = maxPoolBackward(g, s.module, s.input, s.indices, dy);
        break;
      case 'avgpool':
        dy = avgPoolBackward(g, s.module, dy);
        break;
      case 'conv2d': {
        const c = convBackward(g, s.module, s.input, s.weight, dy, !s.first);
        grads.set(s.weightName, { value: () => c.weight });
        grads.set(s.biasName, { value: () => c.bias });
        if (c.input) dy = c.input;
        break;
      }
      case 'batchnorm': {
        const c = batchNormBackward(g, s.module, s, dy, !s.first);
        grads.set(s.weightName, { value: () => c.weight });
        grads.set(s.biasName, { value: () => c.bias });
        if (c.input) dy = c.input;
        break;
      }
      case 'linear': {
        const outer = { dy, x: s.input };
        let weightGrad: string | undefined;
        grads.set(s.weightName, {
          outer,
          value: () => (weightGrad ??= g.op('Gemm', [outer.dy, outer.x], { transA: 1 })),
        });
        const sums = g.op('Gemm', [column(), dy], { transA: 1 });
        const biasGrad = g.op('Squeeze', [sums, g.constInt64([0])]);
        grads.set(s.biasName, { value: () => biasGrad });
        if (!s.first) dy = g.op('MatMul', [dy, s.weight]);
        break;
      }
    }
    // Nothing before a layer whose input needs no gradient has parameters.
    if ('first' in s && s.first) break;
  }
  return grads;
}

function activationBackward(
  g: GraphBuilder,
  kind: 'relu' | 'tanh' | 'sigmoid' | 'leaky_relu',
  x: string,
  y: string,
  dy: string,
): string {
  switch (kind) {
    case 'relu':
      return g.op('Where', [g.op('Greater', [y, g.constFloat(0)]), dy, g.constFloat(0)]);
    case 'leaky_relu':
      return g.op('Where', [
        g.op('Greater', [x, g.constFloat(0)]),
        dy,
        g.op('Mul', [dy, g.constFloat(LEAKY_RELU_SLOPE)]),
      ]);
    case 'tanh':
      return g.op('Mul', [dy, g.op('Sub', [g.constFloat(1), g.op('Mul', [y, y])])]);
    case 'sigmoid':
      return g.op('Mul', [g.op('Mul', [dy, g.op('Sub', [g.constFloat(1), y])]), y]);
  }
}
