import { NUM_CLASSES } from '../dataset/types.js';
import {
  checkParameterTensors,
  describeModel,
  isLayerList,
  parameterInfo,
  validateModelSpec,
  type ModelSpec,
} from '../model/spec.js';
import type { NamedTensors } from '../tensors.js';
import { DT, encodeModel, GraphBuilder, tensorProto, valueInfo, type ModelOptions } from './builder.js';
import { buildForward } from './forward.js';

export const INFERENCE_INPUT = 'input';
export const INFERENCE_OUTPUT = 'logits';

/**
 * The eval-mode model (no dropout, BatchNormalization on running statistics) as an ONNX ModelProto: `input` float32 [batch, 1, 28, 28]
 * (pixels already scaled to 0..1, like the seed's ToTensor) → `logits` float32 [batch, 10].
 * Initializers carry the state_dict names, so the file maps one-to-one onto PyTorch's weights.
 * The forward half is the same builder the training graph uses.
 */
export function buildInferenceModel(spec: ModelSpec, parameters: NamedTensors, options: ModelOptions = {}): Uint8Array {
  validateModelSpec(spec);
  const g = new GraphBuilder();
  const infos = parameterInfo(spec);
  checkParameterTensors(infos, parameters);
  // BatchNorm's batch counter only matters for training (momentum=None); eval mode never reads it.
  for (const info of infos.filter((i) => !i.name.endsWith('.num_batches_tracked')))
    g.initializers.push(tensorProto(info.name, DT.float, info.shape, parameters.get(info.name)!.data));
  buildForward(g, spec, {
    x: INFERENCE_INPUT,
    imageInput: true,
    parameter: (name) => name,
    outputName: INFERENCE_OUTPUT,
  });
  const graph = g.graph(
    'fmnist_tui_model',
    [valueInfo(INFERENCE_INPUT, DT.float, ['batch', 1, 28, 28], 'Fashion-MNIST images, pixel / 255 (0..1), NCHW')],
    [
      valueInfo(
        INFERENCE_OUTPUT,
        DT.float,
        ['batch', NUM_CLASSES],
        'model output per class (argmax = predicted class)',
      ),
    ],
    isLayerList(spec) ? describeModel(spec) : `Flatten → ${describeModel(spec)}`,
  );
  return encodeModel(graph, {
    ...options,
    docString: options.docString ?? `Fashion-MNIST classifier ${describeModel(spec)}, trained with fmnist-tui`,
  });
}
