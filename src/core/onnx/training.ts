import { PIXELS } from '../dataset/types.js';
import {
  describeModel,
  dropoutLayers,
  parameterInfo,
  validateModelSpec,
  type DropoutLayer,
  type ModelSpec,
  type ParameterInfo,
} from '../model/spec.js';
import type { LossName, OptimizerOptions } from '../train/hyperparameters.js';
import { DT, encodeModel, GraphBuilder, valueInfo, type Dim } from './builder.js';
import { buildBackward, onesColumn, type Gradient } from './backward.js';
import { buildForward, scalePixels } from './forward.js';
import { batchSizeFloat, lossWithGradient, smoothedTarget } from './loss.js';
import { optimizerBufferNames } from '../train/optimizer-state.js';
import { buildOptimizerUpdate, optimizerScalarNames, optimizerStateKey } from './optimizer.js';
import { pooledState, pooledStateKey, pooledUpdate } from './pooled-update.js';

/** Graph input/output names shared by the training, evaluation and gradient models. */
export const IO = {
  images: 'images',
  labels: 'labels',
  stepScalars: 'step_scalars',
  losses: 'losses',
  loss: 'loss',
  output: 'output',
  predictions: 'predictions',
} as const;
/** Dropout multiplier input (0 or 1/(1-p) per element) for the dropout module at a Sequential index. */
export const maskInput = (index: number) => `dropout_mask.${index}`;
/** Output carrying a parameter's or optimizer buffer's value after the steps. */
export const nextOutput = (name: string) => `next/${name}`;
/** Gradient output of the gradient model. */
export const gradOutput = (name: string) => `grad/${name}`;

export interface TrainingModel {
  readonly bytes: Uint8Array;
  /** Parameter inputs (state_dict names), in state_dict order. */
  readonly parameters: readonly ParameterInfo[];
  /** Optimizer state inputs, `<buffer>/<parameter>`, each shaped like its parameter. */
  readonly state: readonly { readonly key: string; readonly shape: readonly number[] }[];
  /** Columns of the `step_scalars` input [steps, columns] (see optimizerScalars). */
  readonly scalarNames: readonly string[];
  readonly dropouts: readonly DropoutLayer[];
}

interface StepInputs {
  /** Pixels as floats, already scaled (scalePixels). */
  readonly x: string;
  /** The loss's target (smoothedTarget). */
  readonly target: string;
  /** The batch size (float scalar) and a ones column [batch, 1], when made once outside the steps. */
  readonly batch?: { readonly size: string; readonly ones: string };
  readonly masks: ReadonlyMap<number, string>;
  readonly parameter: (name: string) => string;
}

/** Forward, loss and backward for one batch: the batch-mean loss and d loss / d parameter. */
export function lossAndGradients(
  g: GraphBuilder,
  spec: ModelSpec,
  loss: LossName,
  x: StepInputs,
): { loss: string; grads: Map<string, Gradient>; bufferUpdates: ReadonlyMap<string, string> } {
  const trace = buildForward(g, spec, { x: x.x, parameter: x.parameter, dropoutMasks: x.masks });
  const lg = lossWithGradient(g, loss, trace.output, x.target, x.batch?.size);
  return {
    loss: lg.loss,
    grads: buildBackward(g, trace, lg.gradient, x.batch?.ones),
    bufferUpdates: trace.bufferUpdates,
  };
}

export const floatInput = (name: string, dims: readonly Dim[]) => valueInfo(name, DT.float, dims);

/**
 * The training model: `steps` optimizer steps in one run through an ONNX Loop, each one
 * forward → loss → hand-written backward → torch.optim update, parameters and optimizer
 * buffers carried from step to step.
 *
 * Inputs: `images` uint8 [steps, batch, 784], `labels` uint8 [steps, batch],
 * `step_scalars` float [steps, k] (learning rate and the optimizer's per-step scalars),
 * `dropout_mask.<i>` float [steps, batch, units] per dropout module, every parameter by its
 * state_dict name and every optimizer buffer as `<buffer>/<parameter>`.
 * Outputs: `losses` float [steps] and `next/<name>` for every parameter and buffer.
 */
export interface TrainingModelOptions {
  /**
   * Steps per run written out one after another (a fixed `steps` dimension of this size)
   * instead of an ONNX Loop over any number of steps. Default: the Loop.
   */
  readonly unroll?: number;
  /** Cross-entropy's label smoothing (torch's CrossEntropyLoss(label_smoothing=…)); default 0. */
  readonly labelSmoothing?: number;
  /** Momentum / β1 as a step scalar (one-cycle's cycling; see optimizerScalars). Default false. */
  readonly cycleMomentum?: boolean;
  /** Parameters of at most this many elements share one update chain (pooled-update.ts; 0: none). */
  readonly poolMaxElements?: number;
}

export function buildTrainingModel(
  spec: ModelSpec,
  loss: LossName,
  optimizer: OptimizerOptions,
  options: TrainingModelOptions = {},
): TrainingModel {
  validateModelSpec(spec);
  const parameters = parameterInfo(spec);
  const bufferNames = optimizerBufferNames(optimizer);
  // BatchNorm's running statistics are carried like parameters but have no optimizer state.
  const trainable = parameters.filter((p) => !p.buffer);
  const state = bufferNames.flatMap((b) =>
    trainable.map((p) => ({ key: optimizerStateKey(b, p.name), shape: p.shape })),
  );
  const cycle = options.cycleMomentum ?? false;
  const scalarNames = optimizerScalarNames(optimizer, cycle);
  const dropouts = dropoutLayers(spec);
  // The small parameters' optimizer state is carried as one flat tensor per buffer (pooled-update.ts).
  const pool = pooledState(optimizer, trainable, bufferNames, options.poolMaxElements);
  // The model's inputs and outputs (with `next/`): every parameter and optimizer buffer.
  const external = [...parameters.map((p) => ({ key: p.name, shape: p.shape })), ...state];
  const carried = [...external.filter((c) => !pool.holds(c.key)), ...pool.carried];

  const g = new GraphBuilder();
  // Scaled pixels and targets for all the steps at once, outside the steps (fewer, larger passes).
  const pixels = scalePixels(g, IO.images);
  const targets = smoothedTarget(g, IO.labels, options.labelSmoothing ?? 0);
  const batch = { size: batchSizeFloat(g, IO.images, 1), ones: onesColumn(g, IO.images, 1) };

  /** One optimizer step on the batch at `index` of the outer inputs; `current` gives each carried value. */
  const step = (b: GraphBuilder, index: string, current: (key: string) => string) => {
    const at = (outer: string) => b.op('Gather', [outer, index], { axis: 0 });
    const stepScalars = at(IO.stepScalars);
    const scalars = new Map(
      scalarNames.map((name, j) => [name, b.op('Gather', [stepScalars, b.constInt64(j)], { axis: 0 })]),
    );
    const fwd = lossAndGradients(b, spec, loss, {
      x: at(pixels),
      target: at(targets),
      batch,
      masks: new Map(dropouts.map((d) => [d.index, at(maskInput(d.index))])),
      parameter: current,
    });
    const next = new Map<string, string>(fwd.bufferUpdates);
    const scalar = (name: string) => scalars.get(name)!;
    if (pool.members.length > 0) {
      const u = pooledUpdate(b, optimizer, pool.members, bufferNames, { current, grads: fwd.grads, scalar }, cycle);
      for (const [name, value] of u.params) next.set(name, value);
      for (const [buffer, value] of u.buffers) next.set(pooledStateKey(buffer), value);
    }
    for (const p of trainable.filter((t) => !pool.members.includes(t))) {
      const updated = buildOptimizerUpdate(
        b,
        optimizer,
        {
          param: current(p.name),
          grad: fwd.grads.get(p.name)!,
          buffers: new Map(bufferNames.map((buffer) => [buffer, current(optimizerStateKey(buffer, p.name))])),
          scalar,
        },
        cycle,
      );
      next.set(p.name, updated.param);
      for (const [buffer, value] of updated.buffers) next.set(optimizerStateKey(buffer, p.name), value);
    }
    return { loss: fwd.loss, next };
  };

  const initial = new Map([...carried.map((c): [string, string] => [c.key, c.key]), ...pool.join(g)]);
  const output = (key: string, value: string) =>
    pool.isFlat(key) ? pool.split(g, key, value, nextOutput) : void renameOutput(g, value, nextOutput(key));
  const unroll = options.unroll;
  if (unroll !== undefined) {
    if (!Number.isInteger(unroll) || unroll < 1)
      throw new RangeError(`unroll must be a whole number of at least 1 (got ${unroll})`);
    let current = initial;
    const losses: string[] = [];
    for (let i = 0; i < unroll; i++) {
      const s = step(g, g.constInt64(i), (key) => current.get(key)!);
      losses.push(g.op('Unsqueeze', [s.loss, g.constInt64([0])]));
      current = s.next;
    }
    for (const c of carried) output(c.key, current.get(c.key)!);
    if (losses.length === 1) renameOutput(g, losses[0], IO.losses);
    else g.op('Concat', losses, { axis: 0 }, IO.losses);
  } else {
    // The Loop body: one optimizer step; outer-scope values are sliced at the iteration number.
    const b = new GraphBuilder('s_');
    const inner = (name: string) => `in/${name}`;
    const s = step(b, 'iteration', inner);
    b.op('Identity', ['cond_in'], {}, 'cond_out');
    b.op('Identity', [s.loss], {}, 'step_loss');
    const body = b.graph(
      'train_step',
      [
        valueInfo('iteration', DT.int64, []),
        valueInfo('cond_in', DT.bool, []),
        ...carried.map((c) => floatInput(inner(c.key), c.shape)),
      ],
      [
        valueInfo('cond_out', DT.bool, []),
        ...carried.map((c) => floatInput(renameOutput(b, s.next.get(c.key)!, `out/${c.key}`), c.shape)),
        floatInput('step_loss', []),
      ],
    );
    const tripCount = g.op('Gather', [g.op('Shape', [IO.images]), g.constInt64(0)], { axis: 0 });
    const finals = g.node('Loop', [tripCount, '', ...carried.map((c) => initial.get(c.key)!)], { body }, [
      ...carried.map((c) => (pool.isFlat(c.key) ? g.fresh('pooled') : nextOutput(c.key))),
      IO.losses,
    ]);
    carried.forEach((c, i) => {
      if (pool.isFlat(c.key)) output(c.key, finals[i]);
    });
  }
  const steps: Dim = unroll ?? 'steps';
  const graph = g.graph(
    'fmnist_tui_train',
    [
      valueInfo(IO.images, DT.uint8, [steps, 'batch', PIXELS]),
      valueInfo(IO.labels, DT.uint8, [steps, 'batch']),
      floatInput(IO.stepScalars, [steps, scalarNames.length]),
      ...dropouts.map((d) => floatInput(maskInput(d.index), [steps, 'batch', d.units])),
      ...external.map((c) => floatInput(c.key, c.shape)),
    ],
    [...external.map((c) => floatInput(nextOutput(c.key), c.shape)), floatInput(IO.losses, [steps])],
  );
  const bytes = encodeModel(graph, {
    docString: `training steps (${optimizer.kind}, ${loss}) for ${describeModel(spec)}`,
  });
  return { bytes, parameters, state, scalarNames, dropouts };
}

/** Renames a value produced inside `g` (its producer and every consumer), so a graph output can carry a fixed name. */
export function renameOutput(g: GraphBuilder, from: string, to: string): string {
  for (const n of g.nodes) {
    n.output = n.output!.map((o) => (o === from ? to : o));
    n.input = n.input!.map((i) => (i === from ? to : i));
  }
  return to;
}
