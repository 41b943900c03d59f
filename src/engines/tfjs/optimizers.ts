import type * as TfModule from '@tensorflow/tfjs-core';
import { UserError } from '../../core/errors.js';
import { hasShape, type NamedTensors } from '../../core/tensors.js';
import type { OptimizerState } from '../../core/train/engine.js';
import type { OptimizerOptions } from '../../core/train/hyperparameters.js';
import type { Tf } from './load.js';
import { transposeData } from './model.js';
import { optimizerBufferNames } from '../../core/train/optimizer-state.js';

type Tensor = TfModule.Tensor;
type Variable = TfModule.Variable;

export interface NamedVariable {
  /** PyTorch state_dict name. */
  readonly name: string;
  readonly variable: Variable;
  /** A Linear weight held as its transpose [in, out] (PyTorch's [out, in] outside the engine). */
  readonly transposed: boolean;
}

/** PyTorch's shape of a variable. */
export function externalShape(p: NamedVariable): number[] {
  const shape = p.variable.shape as number[];
  return p.transposed ? [shape[1], shape[0]] : [...shape];
}

/** Engine layout → PyTorch layout (a copy). */
export function toExternal(p: NamedVariable, data: Float32Array): Float32Array {
  const shape = p.variable.shape as number[];
  return p.transposed ? transposeData(data, shape[0], shape[1]) : new Float32Array(data);
}

/** PyTorch layout → engine layout. */
export function toInternal(p: NamedVariable, data: Float32Array): Float32Array {
  const shape = p.variable.shape as number[];
  return p.transposed ? transposeData(data, shape[1], shape[0]) : data;
}

/**
 * torch.optim.SGD / Adam / RMSprop (PyTorch 1.13, single-tensor path) written out on TF.js
 * tensors: tf.train's optimizers follow different rules (Adam's epsilon placement, RMSprop's
 * and momentum's formulas), so they would not match PyTorch's numbers. Scalar arithmetic
 * (bias corrections, 1 - beta) is done in double precision like Python does, and tensor
 * operations keep ATen's evaluation order (addcmul: (value·t1)·t2, addcdiv: (value·t1)/t2).
 */
export class TorchOptimizer {
  private steps = 0;
  /** buffer name → one variable per parameter. */
  private readonly buffers = new Map<string, Variable[]>();

  constructor(
    private readonly tf: Tf,
    readonly options: OptimizerOptions,
    private readonly params: readonly NamedVariable[],
  ) {
    for (const b of optimizerBufferNames(options))
      this.buffers.set(
        b,
        params.map((p) => {
          const zeros = tf.zerosLike(p.variable);
          const v = tf.variable(zeros, false);
          zeros.dispose();
          return v;
        }),
      );
  }

  get step(): number {
    return this.steps;
  }

  /**
   * One optimizer step; call inside tf.tidy (intermediates are left to it). `momentum` (one-cycle)
   * replaces the momentum (SGD, RMSprop) or beta1 (Adam, AdamW) for this step, as torch's
   * OneCycleLR writes it into the param group.
   */
  apply(grads: readonly Tensor[], learningRate: number, momentum?: number): void {
    const o: OptimizerOptions =
      momentum === undefined
        ? this.options
        : this.options.kind === 'adam' || this.options.kind === 'adamw'
          ? { ...this.options, beta1: momentum }
          : { ...this.options, momentum };
    const tf = this.tf;
    const lr = learningRate;
    this.params.forEach(({ variable: p }, i) => {
      let g = grads[i];
      // AdamW: param.mul_(1 - lr·weight_decay) first; the others add weight_decay·p to the gradient.
      if (o.kind === 'adamw') {
        if (o.weightDecay !== 0) p.assign(tf.mul(p, 1 - lr * o.weightDecay));
      } else if (o.weightDecay !== 0) g = tf.add(g, tf.mul(p, o.weightDecay));
      const buf = (name: string) => this.buffers.get(name)![i];
      if (o.kind === 'sgd') {
        let d = g;
        if (o.momentum !== 0) {
          const b = buf('momentum_buffer');
          // torch: the first step's buffer is a copy of the gradient.
          b.assign(this.steps === 0 ? d : tf.add(tf.mul(b, o.momentum), tf.mul(d, 1 - o.dampening)));
          d = o.nesterov ? tf.add(d, tf.mul(b, o.momentum)) : b;
        }
        p.assign(tf.sub(p, tf.mul(d, lr)));
      } else if (o.kind === 'adam' || o.kind === 'adamw') {
        const step = this.steps + 1;
        const m = buf('exp_avg');
        const v = buf('exp_avg_sq');
        m.assign(tf.add(tf.mul(m, o.beta1), tf.mul(g, 1 - o.beta1)));
        v.assign(tf.add(tf.mul(v, o.beta2), tf.mul(tf.mul(g, 1 - o.beta2), g)));
        const biasCorrection1 = 1 - o.beta1 ** step;
        const biasCorrection2Sqrt = Math.sqrt(1 - o.beta2 ** step);
        const stepSize = lr / biasCorrection1;
        let second: Tensor = v;
        if (o.amsgrad) {
          const vMax = buf('max_exp_avg_sq');
          vMax.assign(tf.maximum(vMax, v));
          second = vMax;
        }
        const denom = tf.add(tf.div(tf.sqrt(second), biasCorrection2Sqrt), o.eps);
        p.assign(tf.sub(p, tf.div(tf.mul(m, stepSize), denom)));
      } else {
        const sq = buf('square_avg');
        sq.assign(tf.add(tf.mul(sq, o.alpha), tf.mul(tf.mul(g, 1 - o.alpha), g)));
        let avg: Tensor;
        if (o.centered) {
          const ga = buf('grad_avg');
          ga.assign(tf.add(tf.mul(ga, o.alpha), tf.mul(g, 1 - o.alpha)));
          avg = tf.sqrt(tf.sub(sq, tf.mul(ga, ga)));
        } else avg = tf.sqrt(sq);
        avg = tf.add(avg, o.eps);
        if (o.momentum > 0) {
          const b = buf('momentum_buffer');
          b.assign(tf.add(tf.mul(b, o.momentum), tf.div(g, avg)));
          p.assign(tf.sub(p, tf.mul(b, lr)));
        } else p.assign(tf.sub(p, tf.div(tf.mul(g, lr), avg)));
      }
    });
    this.steps++;
  }

  /** Like torch's state: empty before the first step, then every buffer as `<buffer>/<param>`. */
  async getState(): Promise<OptimizerState> {
    const tensors: NamedTensors = new Map();
    if (this.steps > 0)
      for (const [b, vars] of this.buffers)
        for (let i = 0; i < vars.length; i++) {
          const p = this.params[i];
          tensors.set(`${b}/${p.name}`, {
            shape: externalShape(p),
            data: toExternal(p, (await vars[i].data()) as Float32Array),
          });
        }
    return { step: this.steps, tensors };
  }

  /** Restores a state from getState (of either engine); at step 0 buffers start from zero as in torch. */
  setState(state: OptimizerState): void {
    if (!Number.isInteger(state.step) || state.step < 0)
      throw new UserError(`optimizer state: step must be a whole number of at least 0 (got ${state.step})`);
    const tf = this.tf;
    const values: [Variable, Float32Array | undefined][] = [];
    for (const [b, vars] of this.buffers)
      vars.forEach((v, i) => {
        const key = `${b}/${this.params[i].name}`;
        const t = state.tensors.get(key);
        // Before the first step torch has no buffers: start them from zero whatever was given.
        if (!t || state.step === 0) {
          if (state.step > 0)
            throw new UserError(
              `optimizer state has no '${key}' (saved with different ${this.options.kind} settings?); start without the optimizer state`,
            );
          values.push([v, undefined]);
          return;
        }
        const shape = externalShape(this.params[i]);
        if (!hasShape(t, shape))
          throw new UserError(
            `optimizer state '${key}' has shape [${t.shape.join(', ')}], the model needs [${shape.join(', ')}]`,
          );
        values.push([v, toInternal(this.params[i], t.data)]);
      });
    for (const [v, data] of values)
      tf.tidy(() => v.assign(data ? tf.tensor(data, v.shape, 'float32') : tf.zerosLike(v)));
    this.steps = state.step;
  }

  dispose(): void {
    for (const vars of this.buffers.values()) for (const v of vars) v.dispose();
    this.buffers.clear();
  }
}
