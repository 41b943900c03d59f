import type { OptimizerOptions } from '../train/hyperparameters.js';
import { float, type GraphBuilder } from './builder.js';
import type { Gradient } from './backward.js';

/** Optimizer state keys as in OptimizerState: `<buffer>/<parameter>`. */
export function optimizerStateKey(buffer: string, parameter: string): string {
  return `${buffer}/${parameter}`;
}

/**
 * Per-step scalars the graph reads from its `step_scalars` input. Python computes these in
 * double precision (bias corrections, lr / bias_correction1) before ATen casts them to
 * float32; so does JS here (see optimizerScalars).
 */
export function optimizerScalarNames(o: OptimizerOptions): string[] {
  switch (o.kind) {
    case 'sgd':
      return o.momentum !== 0 ? ['lr', 'momentum_now', 'grad_scale'] : ['lr'];
    case 'adam':
      return ['step_size', 'bias_correction2_sqrt'];
    case 'rmsprop':
      return ['lr'];
  }
}

/** The scalars for the step after `stepsDone` earlier steps, at learning rate `lr`. */
export function optimizerScalars(o: OptimizerOptions, stepsDone: number, lr: number): number[] {
  switch (o.kind) {
    case 'sgd':
      // torch's first step sets momentum_buffer = grad (no dampening): buf·0 + grad·1.
      return o.momentum !== 0 ? [lr, stepsDone === 0 ? 0 : o.momentum, stepsDone === 0 ? 1 : 1 - o.dampening] : [lr];
    case 'adam': {
      const step = stepsDone + 1;
      return [lr / (1 - o.beta1 ** step), Math.sqrt(1 - o.beta2 ** step)];
    }
    case 'rmsprop':
      return [lr];
  }
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

/**
 * torch.optim.SGD / Adam / RMSprop (PyTorch 1.13, single-tensor path) for one parameter,
 * keeping ATen's evaluation order (add with alpha: a + alpha·b; addcmul: (value·t1)·t2;
 * addcdiv: (value·t1)/t2).
 */
export function buildOptimizerUpdate(g: GraphBuilder, o: OptimizerOptions, x: UpdateInputs): UpdateOutputs {
  const c = (v: number) => g.constFloat(v);
  const buffers = new Map<string, string>();
  const buf = (name: string) => x.buffers.get(name)!;
  const outer = x.grad.outer;
  if (o.kind === 'sgd' && outer && o.weightDecay === 0 && o.dampening === 0 && !o.nesterov) {
    // The seed's optimizer: fold the update into the weight gradient's Gemm (C = the
    // parameter or the momentum buffer), saving two passes over the weights per step.
    if (o.momentum === 0) {
      const scaled = g.op('Mul', [outer.dy, g.op('Neg', [x.scalar('lr')])]);
      return { param: g.op('Gemm', [scaled, outer.x, x.param], { transA: 1, beta: float(1) }), buffers };
    }
    // buf·momentum + grad; on the first step the buffer is still zero, so this is torch's buf = grad.
    const next = g.op('Gemm', [outer.dy, outer.x, buf('momentum_buffer')], { transA: 1, beta: float(o.momentum) });
    buffers.set('momentum_buffer', next);
    return { param: g.op('Sub', [x.param, g.op('Mul', [next, x.scalar('lr')])]), buffers };
  }
  let grad = x.grad.value();
  if (o.weightDecay !== 0) grad = g.op('Add', [grad, g.op('Mul', [x.param, c(o.weightDecay)])]);
  const mul = (a: string, b: string) => g.op('Mul', [a, b]);
  const add = (a: string, b: string) => g.op('Add', [a, b]);
  if (o.kind === 'sgd') {
    let d = grad;
    if (o.momentum !== 0) {
      const next = add(mul(buf('momentum_buffer'), x.scalar('momentum_now')), mul(grad, x.scalar('grad_scale')));
      buffers.set('momentum_buffer', next);
      d = o.nesterov ? add(grad, mul(next, c(o.momentum))) : next;
    }
    return { param: g.op('Sub', [x.param, mul(d, x.scalar('lr'))]), buffers };
  }
  if (o.kind === 'adam') {
    const m = add(mul(buf('exp_avg'), c(o.beta1)), mul(grad, c(1 - o.beta1)));
    const v = add(mul(buf('exp_avg_sq'), c(o.beta2)), mul(mul(grad, c(1 - o.beta2)), grad));
    buffers.set('exp_avg', m);
    buffers.set('exp_avg_sq', v);
    let second = v;
    if (o.amsgrad) {
      second = g.op('Max', [buf('max_exp_avg_sq'), v]);
      buffers.set('max_exp_avg_sq', second);
    }
    const denom = add(g.op('Div', [g.op('Sqrt', [second]), x.scalar('bias_correction2_sqrt')]), c(o.eps));
    return { param: g.op('Sub', [x.param, g.op('Div', [mul(m, x.scalar('step_size')), denom])]), buffers };
  }
  const sq = add(mul(buf('square_avg'), c(o.alpha)), mul(mul(grad, c(1 - o.alpha)), grad));
  buffers.set('square_avg', sq);
  let avg: string;
  if (o.centered) {
    const ga = add(mul(buf('grad_avg'), c(o.alpha)), mul(grad, c(1 - o.alpha)));
    buffers.set('grad_avg', ga);
    avg = g.op('Sqrt', [g.op('Sub', [sq, mul(ga, ga)])]);
  } else avg = g.op('Sqrt', [sq]);
  avg = add(avg, c(o.eps));
  if (o.momentum > 0) {
    const b = add(mul(buf('momentum_buffer'), c(o.momentum)), g.op('Div', [grad, avg]));
    buffers.set('momentum_buffer', b);
    return { param: g.op('Sub', [x.param, mul(b, x.scalar('lr'))]), buffers };
  }
  return { param: g.op('Sub', [x.param, g.op('Div', [mul(grad, x.scalar('lr')), avg])]), buffers };
}
