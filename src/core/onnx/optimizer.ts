import type { AdamOptions, AdamWOptions, OptimizerOptions, SgdOptions } from '../train/hyperparameters.js';
import { float, type GraphBuilder } from './builder.js';
import type { Gradient } from './backward.js';
import { optimizerStep, rmspropGradScale } from './adaptive-step.js';

/** Optimizer state keys as in OptimizerState: `<buffer>/<parameter>`. */
export function optimizerStateKey(buffer: string, parameter: string): string {
  return `${buffer}/${parameter}`;
}

/*
 * The update is written for few passes over the parameters: every elementwise node reads and
 * writes whole parameter-sized tensors, and onnxruntime's CPU provider fuses none of them.
 * - Per-step factors are folded into the batch gradient dy before the weight-gradient Gemm
 *   (dy is batch × out, a parameter is out × in), so the Gemm already writes e.g. (1-β1)·g.
 * - Scalar chains are folded into one per-step scalar computed in float64 here, as Python does
 *   before ATen casts them to float32 (lr / bias_correction1 and friends).
 * - Adam and RMSprop end in p' = p + m / D, with D = √v·a + b: the step size, the bias
 *   corrections, eps and the sign are all in a and b (5 nodes instead of 6-8).
 * Each optimizer reads its β1 / momentum only through step scalars where that costs no pass, so
 * a schedule can vary them step by step (pass them through the options given to optimizerScalars).
 * With `cycle` (one-cycle's momentum cycling) the rest are step scalars too, at the cost of the
 * folds that need a constant: SGD's momentum Gemm, Adam's constant (1-β1)·g.
 * AdamW decays the parameter itself: p·(1 - lr·wd) is one more pass.
 */

/**
 * Per-step scalars the graph reads from its `step_scalars` input, in this order (see
 * optimizerScalars for their values).
 */
export function optimizerScalarNames(o: OptimizerOptions, cycle = false): string[] {
  switch (o.kind) {
    case 'sgd': {
      const decay = o.weightDecay !== 0 ? ['decay_scale'] : [];
      const nesterov = cycle && o.nesterov ? ['momentum'] : [];
      return o.momentum !== 0 ? ['neg_lr', 'momentum_now', 'grad_scale', ...decay, ...nesterov] : ['neg_lr', ...decay];
    }
    case 'adam':
    case 'adamw': {
      const scaled = cycle ? ['grad_scale'] : [];
      const decoupled = o.kind === 'adamw' && o.weightDecay !== 0 ? ['decay_factor'] : [];
      return ['beta1', 'sq_scale', 'denom_scale', 'denom_shift', ...scaled, ...decoupled];
    }
    case 'rmsprop':
      return ['denom_scale', 'denom_shift', ...(o.momentum > 0 ? ['neg_lr', ...(cycle ? ['momentum'] : [])] : [])];
  }
}

/**
 * The scalars for the step after `stepsDone` earlier steps, at learning rate `lr`, in the
 * order of optimizerScalarNames. A learning rate of 0 (a cosine schedule's last step) leaves
 * the weights as they are, as in torch: D is then +∞ and m / D is 0. With `cycle`, `momentum`
 * is this step's momentum (SGD, RMSprop) or β1 (Adam, AdamW).
 */
export function optimizerScalars(
  o: OptimizerOptions,
  stepsDone: number,
  lr: number,
  cycle = false,
  momentum?: number,
): number[] {
  switch (o.kind) {
    case 'sgd': {
      const now = cycle && momentum !== undefined ? { ...o, momentum } : o;
      return [...sgdScalars(now, stepsDone, lr), ...(cycle && o.nesterov ? [now.momentum] : [])];
    }
    case 'adam':
    case 'adamw': {
      const now = cycle && momentum !== undefined ? { ...o, beta1: momentum } : o;
      const scaled = cycle ? [1 - now.beta1] : [];
      const decoupled = o.kind === 'adamw' && o.weightDecay !== 0 ? [1 - lr * o.weightDecay] : [];
      return [...adamScalars(now, stepsDone, lr), ...scaled, ...decoupled];
    }
    case 'rmsprop': {
      const c = rmspropGradScale(o);
      // momentum: buf' = μ·buf + g / (√v + eps) with g = gs / c, so D = (√v + eps)·c;
      // else p' = p - lr·g / (√v + eps) = p + gs / D with D = (√v + eps)·(-c / lr).
      const k = o.momentum > 0 ? c : lr === 0 ? 0 : -c / lr;
      const shift = o.momentum > 0 || lr !== 0 ? o.eps * k : Infinity;
      const now = cycle && momentum !== undefined ? momentum : o.momentum;
      return [k, shift, ...(o.momentum > 0 ? [-lr, ...(cycle ? [now] : [])] : [])];
    }
  }
}

function sgdScalars(o: SgdOptions, stepsDone: number, lr: number): number[] {
  if (o.momentum === 0) return [-lr, ...(o.weightDecay !== 0 ? [-lr * o.weightDecay] : [])];
  // torch's first step sets momentum_buffer = grad (no dampening): buf·0 + grad·1.
  const gradScale = stepsDone === 0 ? 1 : 1 - o.dampening;
  return [
    -lr,
    stepsDone === 0 ? 0 : o.momentum,
    gradScale,
    ...(o.weightDecay !== 0 ? [gradScale * o.weightDecay] : []),
  ];
}

function adamScalars(o: AdamOptions | AdamWOptions, stepsDone: number, lr: number): number[] {
  const step = stepsDone + 1;
  const gradScale = 1 - o.beta1;
  // torch: p - step_size·m / (√v / bc2_sqrt + eps) = p + m / (√v·a + b).
  const stepSize = lr / (1 - o.beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - o.beta2 ** step);
  const a = lr === 0 ? 0 : -1 / (bc2Sqrt * stepSize);
  const b = lr === 0 ? Infinity : -o.eps / stepSize;
  return [o.beta1, (1 - o.beta2) / (gradScale * gradScale), a, b];
}

export interface UpdateInputs {
  readonly param: string;
  readonly grad: Gradient;
  /** Current buffer values by buffer name. */
  readonly buffers: ReadonlyMap<string, string>;
  readonly scalar: (name: string) => string;
}

export interface UpdateOutputs {
  readonly param: string;
  readonly buffers: Map<string, string>;
}

/** Node helpers for one update. */
function ops(g: GraphBuilder, x: UpdateInputs) {
  const mul = (a: string, b: string) => g.op('Mul', [a, b]);
  const add = (a: string, b: string) => g.op('Add', [a, b]);
  const c = (v: number) => g.constFloat(v);
  return {
    mul,
    add,
    c,
    buf: (name: string) => x.buffers.get(name)!,
    /**
     * scale·(grad + weightDecay·param) for a per-step `scale` (a step scalar): for a Linear
     * weight, scale goes into dy and the decay term (`decayScale` = scale·weightDecay) into
     * the Gemm's C, so no pass over the weights is added.
     */
    stepScaledGrad(scale: string, decayScale?: string): string {
      const decay = decayScale === undefined ? undefined : mul(x.param, decayScale);
      const outer = x.grad.outer;
      if (outer) {
        const inputs = [mul(outer.dy, scale), outer.x, ...(decay ? [decay] : [])];
        return g.op('Gemm', inputs, { transA: 1, ...(decay ? { beta: float(1) } : {}) });
      }
      const scaled = mul(x.grad.value(), scale);
      return decay ? add(scaled, decay) : scaled;
    },
    /**
     * scale·(grad + weightDecay·param) for a constant `scale`: for a Linear weight, the Gemm's
     * alpha and beta (MLAS multiplies the finished dot products by alpha, so this is the
     * gradient graph's gradient times scale, rounded once, as Mul(grad, scale) would give).
     */
    constScaledGrad(scale: number, weightDecay: number): string {
      const outer = x.grad.outer;
      if (outer) {
        if (weightDecay === 0) return g.op('Gemm', [outer.dy, outer.x], { transA: 1, alpha: float(scale) });
        const beta = float(scale * weightDecay);
        return g.op('Gemm', [outer.dy, outer.x, x.param], { transA: 1, alpha: float(scale), beta });
      }
      const grad = weightDecay !== 0 ? add(x.grad.value(), mul(x.param, c(weightDecay))) : x.grad.value();
      return mul(grad, c(scale));
    },
  };
}

/**
 * torch.optim.SGD / Adam / RMSprop (PyTorch 1.13, single-tensor path) for one parameter, in
 * as few passes as the maths allows (see above); equal to torch.optim up to float32 rounding
 * (test/integration/engine-onnx-optimizers).
 */
export function buildOptimizerUpdate(
  g: GraphBuilder,
  o: OptimizerOptions,
  x: UpdateInputs,
  cycle = false,
): UpdateOutputs {
  switch (o.kind) {
    case 'sgd':
      return sgdUpdate(g, o, x, cycle);
    case 'adam':
    case 'adamw':
    case 'rmsprop':
      return optimizerStep(g, o, { ...x, gs: scaledGradient(g, o, x, cycle) }, cycle);
  }
}

function sgdUpdate(g: GraphBuilder, o: SgdOptions, x: UpdateInputs, cycle: boolean): UpdateOutputs {
  const { mul, add, c, buf, stepScaledGrad } = ops(g, x);
  const buffers = new Map<string, string>();
  const decay = o.weightDecay !== 0 ? x.scalar('decay_scale') : undefined;
  const outer = x.grad.outer;
  if (o.momentum === 0) {
    // p' = p - lr·(g + wd·p). The seed's optimizer: for a weight, one Gemm with C = p.
    if (outer && !decay)
      return {
        param: g.op('Gemm', [mul(outer.dy, x.scalar('neg_lr')), outer.x, x.param], { transA: 1, beta: float(1) }),
        buffers,
      };
    return { param: add(x.param, stepScaledGrad(x.scalar('neg_lr'), decay)), buffers };
  }
  if (o.nesterov) {
    // d = grad + μ·buf' needs the gradient itself: no folding.
    const grad = decay ? add(x.grad.value(), mul(x.param, c(o.weightDecay))) : x.grad.value();
    const next = add(mul(buf('momentum_buffer'), x.scalar('momentum_now')), mul(grad, x.scalar('grad_scale')));
    buffers.set('momentum_buffer', next);
    const mu = cycle ? x.scalar('momentum') : c(o.momentum);
    return { param: add(x.param, mul(add(grad, mul(next, mu)), x.scalar('neg_lr'))), buffers };
  }
  // buf' = μ·buf + s·g: for a weight in the Gemm (C = buf; on the first step buf is still zero,
  // which is torch's buf = g). Varying μ per step would cost a pass here (C = buf·μ_now).
  const next =
    outer && !decay && !cycle
      ? g.op('Gemm', [mul(outer.dy, x.scalar('grad_scale')), outer.x, buf('momentum_buffer')], {
          transA: 1,
          beta: float(o.momentum),
        })
      : add(mul(buf('momentum_buffer'), x.scalar('momentum_now')), stepScaledGrad(x.scalar('grad_scale'), decay));
  buffers.set('momentum_buffer', next);
  return { param: add(x.param, mul(next, x.scalar('neg_lr'))), buffers };
}

/** The adaptive optimizers' update after the scaled gradient: elementwise, so parameters can share one chain. */
export function isElementwiseUpdate(o: OptimizerOptions): boolean {
  return o.kind !== 'sgd';
}

/**
 * The scaled gradient an elementwise update starts from: (1-β1)·g for Adam and AdamW (folded
 * into a Linear weight's Gemm), √(1-α)·g for RMSprop. See optimizerStep.
 */
export function scaledGradient(g: GraphBuilder, o: OptimizerOptions, x: UpdateInputs, cycle = false): string {
  const { mul, add, c, constScaledGrad } = ops(g, x);
  switch (o.kind) {
    case 'sgd':
      throw new Error('scaledGradient: SGD folds its update into the gradient');
    case 'adam':
    case 'adamw': {
      // Adam's weight decay is L2 (in g); AdamW's decays p itself.
      const l2 = o.kind === 'adam' ? o.weightDecay : 0;
      // A per-step β1 (one-cycle) scales the finished gradient, as torch does: folded into dy instead,
      // the float-noise gradients of always-blank pixels would round differently and Adam amplifies them.
      return cycle
        ? mul(l2 !== 0 ? add(x.grad.value(), mul(x.param, c(l2))) : x.grad.value(), x.scalar('grad_scale'))
        : constScaledGrad(1 - o.beta1, l2);
    }
    case 'rmsprop':
      return constScaledGrad(rmspropGradScale(o), o.weightDecay);
  }
}
