import type { ParameterInfo } from '../model/spec.js';
import { tensorSize } from '../tensors.js';
import type { OptimizerOptions } from '../train/hyperparameters.js';
import type { Gradient } from './backward.js';
import type { GraphBuilder } from './builder.js';
import { optimizerStep } from './adaptive-step.js';
import { isElementwiseUpdate, optimizerStateKey, scaledGradient } from './optimizer.js';

/*
 * Adam, AdamW and RMSprop update every element on its own, so the small parameters (biases,
 * a last Linear layer, convolution kernels) can share one chain of nodes over their
 * concatenation: ~11 nodes for all of them instead of ~11 each. Each node costs a few
 * microseconds whatever its size, a pass over a small tensor far less. The large weights keep
 * their own chains: concatenating them would add passes over megabytes to save microseconds.
 * The result per element is the same as the per-parameter chain's. Inside the training model
 * the pooled optimizer state is one flat tensor per buffer; its inputs and outputs stay
 * per-parameter (OptimizerState, checkpoints), joined and split once per run.
 */

/** Parameters of at most this many elements share the pooled chain. */
export const POOL_MAX_ELEMENTS = 65536;

/** The trainable parameters that share one update chain (none, or at least two). */
export function pooledParameters(
  o: OptimizerOptions,
  trainable: readonly ParameterInfo[],
  maxElements = POOL_MAX_ELEMENTS,
): ParameterInfo[] {
  if (!isElementwiseUpdate(o)) return [];
  const pool = trainable.filter((p) => tensorSize(p.shape) <= maxElements);
  return pool.length >= 2 ? pool : [];
}

/** Key of a pooled optimizer buffer (a flat tensor) among the training model's carried values. */
export const pooledStateKey = (buffer: string) => optimizerStateKey(buffer, '(pooled)');

/** The members' values as one flat tensor. */
export function concatFlat(g: GraphBuilder, values: readonly string[], members: readonly ParameterInfo[]): string {
  const flat = values.map((v, i) => (members[i].shape.length === 1 ? v : g.op('Reshape', [v, g.constInt64([-1])])));
  return g.op('Concat', flat, { axis: 0 });
}

/** A flat tensor back into the members' shapes (named `outputs` when given). */
export function splitFlat(
  g: GraphBuilder,
  flat: string,
  members: readonly ParameterInfo[],
  outputs?: readonly string[],
): string[] {
  const parts = g.node(
    'Split',
    [flat, g.constInt64(members.map((p) => tensorSize(p.shape)))],
    { axis: 0 },
    members.map((p, i) => (p.shape.length === 1 && outputs ? outputs[i] : g.fresh('part'))),
  );
  return parts.map((part, i) => {
    const shape = members[i].shape;
    return shape.length === 1 ? part : g.op('Reshape', [part, g.constInt64(shape)], {}, outputs?.[i]);
  });
}

export interface PooledInputs {
  /** Current value of a parameter (by name) or of a pooled buffer (by pooledStateKey). */
  readonly current: (key: string) => string;
  readonly grads: ReadonlyMap<string, Gradient>;
  readonly scalar: (name: string) => string;
}

/** One optimizer step for the pooled parameters: their new values by name, the new flat buffers by buffer name. */
export function pooledUpdate(
  g: GraphBuilder,
  o: OptimizerOptions,
  members: readonly ParameterInfo[],
  bufferNames: readonly string[],
  x: PooledInputs,
  cycle: boolean,
): { params: Map<string, string>; buffers: Map<string, string> } {
  const noBuffers = new Map<string, string>();
  const gs = members.map((p) =>
    scaledGradient(
      g,
      o,
      { param: x.current(p.name), grad: x.grads.get(p.name)!, buffers: noBuffers, scalar: x.scalar },
      cycle,
    ),
  );
  const param = concatFlat(
    g,
    members.map((p) => x.current(p.name)),
    members,
  );
  const step = optimizerStep(
    g,
    o,
    {
      param,
      gs: concatFlat(g, gs, members),
      buffers: new Map(bufferNames.map((b) => [b, x.current(pooledStateKey(b))])),
      scalar: x.scalar,
    },
    cycle,
  );
  const parts = splitFlat(g, step.param, members);
  return { params: new Map(members.map((p, i) => [p.name, parts[i]])), buffers: step.buffers };
}

/** The pooled buffers among a training model's carried values, and their joins and splits at its edges. */
export interface PooledState {
  readonly members: readonly ParameterInfo[];
  /** The flat buffers, carried from step to step in place of the members' buffers. */
  readonly carried: readonly { readonly key: string; readonly shape: readonly number[] }[];
  /** Whether a per-parameter buffer key lives in a flat buffer. */
  holds(stateKey: string): boolean;
  /** Whether a carried key is a flat buffer. */
  isFlat(key: string): boolean;
  /** The flat buffers' starting values, joined from the members' per-parameter inputs. */
  join(g: GraphBuilder): Map<string, string>;
  /** A flat buffer's final value, split into the members' outputs (named by `outputName`). */
  split(g: GraphBuilder, key: string, value: string, outputName: (stateKey: string) => string): void;
}

export function pooledState(
  o: OptimizerOptions,
  trainable: readonly ParameterInfo[],
  bufferNames: readonly string[],
  maxElements = POOL_MAX_ELEMENTS,
): PooledState {
  const members = pooledParameters(o, trainable, maxElements);
  const total = members.reduce((n, p) => n + tensorSize(p.shape), 0);
  const flat = new Map(members.length > 0 ? bufferNames.map((b) => [pooledStateKey(b), b]) : []);
  const held = new Set(members.flatMap((p) => bufferNames.map((b) => optimizerStateKey(b, p.name))));
  return {
    members,
    carried: [...flat.keys()].map((key) => ({ key, shape: [total] })),
    holds: (stateKey) => held.has(stateKey),
    isFlat: (key) => flat.has(key),
    join: (g) =>
      new Map(
        [...flat].map(([key, b]) => [
          key,
          concatFlat(
            g,
            members.map((p) => optimizerStateKey(b, p.name)),
            members,
          ),
        ]),
      ),
    split(g, key, value, outputName) {
      const b = flat.get(key)!;
      splitFlat(
        g,
        value,
        members,
        members.map((p) => outputName(optimizerStateKey(b, p.name))),
      );
    },
  };
}
