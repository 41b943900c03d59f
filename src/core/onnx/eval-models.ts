import { NUM_CLASSES, PIXELS } from '../dataset/types.js';
import { describeModel, dropoutLayers, parameterInfo, validateModelSpec, type ModelSpec } from '../model/spec.js';
import type { LossName } from '../train/hyperparameters.js';
import { DT, encodeModel, GraphBuilder, valueInfo } from './builder.js';
import { buildForward, scalePixels } from './forward.js';
import { perSampleLoss, smoothedTarget } from './loss.js';
import { floatInput, gradOutput, IO, lossAndGradients, maskInput, renameOutput } from './training.js';

// The two models beside the training model that share its forward pass and names (training.ts):
// evaluation (the test pass) and gradients (for tests and tools).

/**
 * The evaluation model (eval mode: no dropout): `images` uint8 [batch, 784], `labels` uint8
 * [batch] and the parameters → `output` [batch, 10] (the model's output), `losses` [batch]
 * (per-sample loss) and `predictions` uint8 [batch] (argmax).
 */
export function buildEvaluationModel(spec: ModelSpec, loss: LossName, labelSmoothing = 0): Uint8Array {
  validateModelSpec(spec);
  const parameters = parameterInfo(spec);
  const g = new GraphBuilder();
  const trace = buildForward(g, spec, {
    x: scalePixels(g, IO.images),
    parameter: (name) => name,
    outputName: IO.output,
  });
  g.op('Identity', [perSampleLoss(g, loss, trace.output, smoothedTarget(g, IO.labels, labelSmoothing))], {}, IO.losses);
  g.op('Cast', [g.op('ArgMax', [trace.output], { axis: 1, keepdims: 0 })], { to: DT.uint8 }, IO.predictions);
  const graph = g.graph(
    'fmnist_tui_evaluate',
    [
      valueInfo(IO.images, DT.uint8, ['batch', PIXELS]),
      valueInfo(IO.labels, DT.uint8, ['batch']),
      ...parameters.map((p) => floatInput(p.name, p.shape)),
    ],
    [
      floatInput(IO.output, ['batch', NUM_CLASSES]),
      floatInput(IO.losses, ['batch']),
      valueInfo(IO.predictions, DT.uint8, ['batch']),
    ],
  );
  return encodeModel(graph, { docString: `evaluation (${loss}) for ${describeModel(spec)}` });
}

/**
 * The gradient model (for tests and tools): the training step without the update.
 * `images`, `labels`, `dropout_mask.<i>` [batch, units] and the parameters → `loss` (batch
 * mean) and `grad/<name>` for every trainable parameter (BatchNorm in training mode).
 */
export function buildGradientModel(spec: ModelSpec, loss: LossName, labelSmoothing = 0): Uint8Array {
  validateModelSpec(spec);
  const parameters = parameterInfo(spec);
  const dropouts = dropoutLayers(spec);
  const g = new GraphBuilder();
  const step = lossAndGradients(g, spec, loss, {
    x: scalePixels(g, IO.images),
    target: smoothedTarget(g, IO.labels, labelSmoothing),
    masks: new Map(dropouts.map((d) => [d.index, maskInput(d.index)])),
    parameter: (name) => name,
  });
  g.op('Identity', [step.loss], {}, IO.loss);
  const trainable = parameters.filter((p) => !p.buffer);
  for (const p of trainable) renameOutput(g, step.grads.get(p.name)!.value(), gradOutput(p.name));
  const graph = g.graph(
    'fmnist_tui_gradients',
    [
      valueInfo(IO.images, DT.uint8, ['batch', PIXELS]),
      valueInfo(IO.labels, DT.uint8, ['batch']),
      ...dropouts.map((d) => floatInput(maskInput(d.index), ['batch', d.units])),
      ...parameters.map((p) => floatInput(p.name, p.shape)),
    ],
    [floatInput(IO.loss, []), ...trainable.map((p) => floatInput(gradOutput(p.name), p.shape))],
  );
  return encodeModel(graph, { docString: `gradients (${loss}) for ${describeModel(spec)}` });
}
