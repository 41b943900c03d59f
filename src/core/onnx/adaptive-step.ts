import type { AdamOptions, AdamWOptions, OptimizerOptions, RmspropOptions } from '../train/hyperparameters.js';
import type { GraphBuilder } from './builder.js';

/*
 * The adaptive optimizers' update once the scaled gradient gs is there (optimizer.ts's
 * scaledGradient): elementwise over the parameter, so several parameters can share one chain
 * over their concatenation (pooled-update.ts) with the same result per element.
 */

/** RMSprop's gradients are scaled by √(1-α) before squaring: (√(1-α)·g)² is (1-α)·g². */
export const rmspropGradScale = (o: RmspropOptions) => Math.sqrt(1 - o.alpha);

export interface StepOutputs {
  readonly param: string;
  readonly buffers: Map<string, string>;
}

export interface StepInputs {
  readonly param: string;
  /** scaledGradient's value (of one parameter, or of several concatenated, as `param`). */
  readonly gs: string;
  readonly buffers: ReadonlyMap<string, string>;
  readonly scalar: (name: string) => string;
}

/** The elementwise rest of an Adam, AdamW or RMSprop update, from the scaled gradient. */
export function optimizerStep(g: GraphBuilder, o: OptimizerOptions, x: StepInputs, cycle = false): StepOutputs {
  switch (o.kind) {
    case 'sgd':
      throw new Error('optimizerStep: SGD folds its update into the gradient');
    case 'adam':
    case 'adamw':
      return adamStep(g, o, x);
    case 'rmsprop':
      return rmspropStep(g, o, x, cycle);
  }
}

function adamStep(g: GraphBuilder, o: AdamOptions | AdamWOptions, x: StepInputs): StepOutputs {
  const mul = (a: string, b: string) => g.op('Mul', [a, b]);
  const add = (a: string, b: string) => g.op('Add', [a, b]);
  const buf = (name: string) => x.buffers.get(name)!;
  const buffers = new Map<string, string>();
  // gs = (1-β1)·g: m' = β1·m + gs; v' = β2·v + (1-β2)·g² = β2·v + gs²·(1-β2)/(1-β1)².
  const gs = x.gs;
  const m = add(mul(buf('exp_avg'), x.scalar('beta1')), gs);
  const v = add(mul(buf('exp_avg_sq'), g.constFloat(o.beta2)), mul(mul(gs, gs), x.scalar('sq_scale')));
  buffers.set('exp_avg', m);
  buffers.set('exp_avg_sq', v);
  let second = v;
  if (o.amsgrad) {
    second = g.op('Max', [buf('max_exp_avg_sq'), v]);
    buffers.set('max_exp_avg_sq', second);
  }
  const denom = add(mul(g.op('Sqrt', [second]), x.scalar('denom_scale')), x.scalar('denom_shift'));
  // torch.optim.AdamW: param.mul_(1 - lr·weight_decay) before the Adam step.
  const param = o.kind === 'adamw' && o.weightDecay !== 0 ? mul(x.param, x.scalar('decay_factor')) : x.param;
  return { param: add(param, g.op('Div', [m, denom])), buffers };
}

function rmspropStep(g: GraphBuilder, o: RmspropOptions, x: StepInputs, cycle: boolean): StepOutputs {
  const mul = (a: string, b: string) => g.op('Mul', [a, b]);
  const add = (a: string, b: string) => g.op('Add', [a, b]);
  const c = (v: number) => g.constFloat(v);
  const buf = (name: string) => x.buffers.get(name)!;
  const buffers = new Map<string, string>();
  // gs = √(1-α)·g: square_avg' = α·square_avg + gs².
  const gs = x.gs;
  const sq = add(mul(buf('square_avg'), c(o.alpha)), mul(gs, gs));
  buffers.set('square_avg', sq);
  let variance = sq;
  if (o.centered) {
    // grad_avg' = α·grad_avg + (1-α)·g = α·grad_avg + √(1-α)·gs.
    const ga = add(mul(buf('grad_avg'), c(o.alpha)), mul(gs, c(rmspropGradScale(o))));
    buffers.set('grad_avg', ga);
    variance = g.op('Sub', [sq, mul(ga, ga)]);
  }
  const denom = add(mul(g.op('Sqrt', [variance]), x.scalar('denom_scale')), x.scalar('denom_shift'));
  const step = g.op('Div', [gs, denom]);
  if (o.momentum > 0) {
    const b = add(mul(buf('momentum_buffer'), cycle ? x.scalar('momentum') : c(o.momentum)), step);
    buffers.set('momentum_buffer', b);
    return { param: add(x.param, mul(b, x.scalar('neg_lr'))), buffers };
  }
  return { param: add(x.param, step), buffers };
}
