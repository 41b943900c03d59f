import { NUM_CLASSES, PIXELS } from '../dataset/types.js';
import { LayerError, formatLayer, type LayerSpec } from './layers.js';

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'leaky_relu';
/** A per-sample shape: [channels, height, width] for images, [features] once flat. */
export type Shape = readonly number[];

/** The input every model takes: one 28×28 grey image. */
export const IMAGE_SHAPE: Shape = [1, 28, 28];
/** PyTorch's BatchNorm defaults. */
export const BATCH_NORM_EPS = 1e-5;
export const BATCH_NORM_MOMENTUM = 0.1;

interface ModuleBase {
  /** Index in the Sequential: parameter names are `<name>.weight` etc. */
  readonly index: number;
  /** state_dict prefix of this module, e.g. `layers.3` or `linear_relu_stack.0`. */
  readonly name: string;
  readonly inShape: Shape;
  readonly outShape: Shape;
}

/**
 * One module of the model's Sequential with its inferred shapes: the one normalised list that
 * the forward and backward graphs, init, the TF.js engine, export and summaries all read.
 */
export type Module = ModuleBase &
  (
    | { readonly kind: 'linear'; readonly inFeatures: number; readonly outFeatures: number }
    | {
        readonly kind: 'conv2d';
        readonly inChannels: number;
        readonly outChannels: number;
        readonly kernel: number;
        readonly stride: number;
        readonly padding: number;
      }
    | { readonly kind: 'batchnorm'; readonly features: number }
    | { readonly kind: 'maxpool' | 'avgpool'; readonly kernel: number; readonly stride: number }
    | { readonly kind: 'flatten' }
    | { readonly kind: 'activation'; readonly activation: Activation }
    | { readonly kind: 'dropout'; readonly p: number }
    | { readonly kind: 'log_softmax' }
  );
export type ModuleKind = Module['kind'];

export const LAYERS_PREFIX = 'layers';

const describeShape = (s: Shape) => `[${s.join(', ')}]`;
const isImage = (s: Shape) => s.length === 3;

/**
 * Infers every layer's input and output shape from the 1×28×28 input and returns the modules,
 * named `layers.<i>`. Throws a LayerError for the first layer that does not fit (Conv2d after
 * Flatten, a shape that shrinks to nothing, a last layer without 10 outputs, …).
 */
export function layerModules(layers: readonly LayerSpec[]): Module[] {
  const modules: Module[] = [];
  inferInto(layers, modules);
  return modules;
}

/**
 * As layerModules, without throwing (the session's editor shows a bad list in place): the modules
 * of the layers before the first that does not fit, and its LayerError; every module when only
 * the list's ending is wrong.
 */
export function inferLayerModules(layers: readonly LayerSpec[]): { modules: Module[]; error?: LayerError } {
  const modules: Module[] = [];
  try {
    inferInto(layers, modules);
  } catch (err) {
    if (err instanceof LayerError) return { modules, error: err };
    throw err;
  }
  return { modules };
}

/** Pushes each layer's module onto `modules`; throws a LayerError at the first that does not fit. */
function inferInto(layers: readonly LayerSpec[], modules: Module[]): void {
  let shape: Shape = IMAGE_SHAPE;
  layers.forEach((layer, index) => {
    const fail = (why: string) => {
      throw new LayerError(index, why);
    };
    const base = { index, name: `${LAYERS_PREFIX}.${index}`, inShape: shape };
    const needImage = () => {
      if (!isImage(shape))
        fail(`${layer.type} needs an image input [C, H, W], it gets ${describeShape(shape)} (is it after Flatten?)`);
    };
    const needFlat = (fix: string) => {
      if (shape.length !== 1) fail(`${layer.type} needs a flat input, it gets ${describeShape(shape)} (${fix})`);
    };
    const spatial = (k: number, s: number, pad: number) => {
      const [c, h, w] = shape;
      const oh = Math.floor((h + 2 * pad - k) / s) + 1;
      const ow = Math.floor((w + 2 * pad - k) / s) + 1;
      if (oh < 1 || ow < 1)
        fail(`a ${k}×${k} window does not fit its ${h}×${w} input${pad ? ` padded by ${pad}` : ''}: nothing is left`);
      return [c, oh, ow] as const;
    };
    let m: Module;
    switch (layer.type) {
      case 'Conv2d': {
        needImage();
        const [, oh, ow] = spatial(layer.kernelSize, layer.stride, layer.padding);
        m = {
          ...base,
          kind: 'conv2d',
          inChannels: shape[0],
          outChannels: layer.outChannels,
          kernel: layer.kernelSize,
          stride: layer.stride,
          padding: layer.padding,
          outShape: [layer.outChannels, oh, ow],
        };
        break;
      }
      case 'MaxPool2d':
      case 'AvgPool2d': {
        needImage();
        const out = spatial(layer.kernelSize, layer.stride, 0);
        const kind = layer.type === 'MaxPool2d' ? 'maxpool' : 'avgpool';
        m = { ...base, kind, kernel: layer.kernelSize, stride: layer.stride, outShape: out };
        break;
      }
      case 'BatchNorm2d':
        needImage();
        m = { ...base, kind: 'batchnorm', features: shape[0], outShape: shape };
        break;
      case 'BatchNorm1d':
        needFlat('use BatchNorm2d on images, or put Flatten before it');
        m = { ...base, kind: 'batchnorm', features: shape[0], outShape: shape };
        break;
      case 'Flatten':
        m = { ...base, kind: 'flatten', outShape: [shape.reduce((a, b) => a * b, 1)] };
        break;
      case 'Linear':
        needFlat('put Flatten before it');
        m = {
          ...base,
          kind: 'linear',
          inFeatures: shape[0],
          outFeatures: layer.outFeatures,
          outShape: [layer.outFeatures],
        };
        break;
      case 'Dropout':
        m = { ...base, kind: 'dropout', p: layer.p, outShape: shape };
        break;
      case 'LogSoftmax':
        needFlat('put Flatten and a Linear layer before it');
        m = { ...base, kind: 'log_softmax', outShape: shape };
        break;
      case 'ReLU':
      case 'Tanh':
      case 'Sigmoid':
      case 'LeakyReLU': {
        const activation = ({ ReLU: 'relu', Tanh: 'tanh', Sigmoid: 'sigmoid', LeakyReLU: 'leaky_relu' } as const)[
          layer.type
        ];
        m = { ...base, kind: 'activation', activation, outShape: shape };
        break;
      }
      default:
        throw new LayerError(index, `'${String((layer as { type: unknown }).type)}' is not a layer`);
    }
    if (m.outShape.reduce((a, b) => a * b, 1) > 4_000_000)
      fail(`its output ${describeShape(m.outShape)} is too large (at most 4,000,000 values per image)`);
    modules.push(m);
    shape = m.outShape;
  });
  const last = layers.length - 1;
  if (shape.length !== 1 || shape[0] !== NUM_CLASSES)
    throw new LayerError(
      last,
      `the model must end with ${NUM_CLASSES} outputs (one per class), the last layer gives ${describeShape(shape)}` +
        (shape.length === 1 ? `: end with Linear(${NUM_CLASSES})` : ': end with Flatten … Linear(10)'),
    );
}

export interface ModuleParameter {
  /** Suffix of the state_dict name: weight, bias, running_mean, running_var, num_batches_tracked. */
  readonly field: 'weight' | 'bias' | 'running_mean' | 'running_var' | 'num_batches_tracked';
  readonly shape: readonly number[];
  /** A buffer (BatchNorm's running statistics) is saved and carried, never optimised. */
  readonly buffer: boolean;
  /** Fan-in for PyTorch's default init (Linear, Conv2d). */
  readonly fanIn: number;
}

/** The module's state_dict entries in PyTorch's order. */
export function moduleParameters(m: Module): ModuleParameter[] {
  switch (m.kind) {
    case 'linear':
      return [
        { field: 'weight', shape: [m.outFeatures, m.inFeatures], buffer: false, fanIn: m.inFeatures },
        { field: 'bias', shape: [m.outFeatures], buffer: false, fanIn: m.inFeatures },
      ];
    case 'conv2d': {
      const fanIn = m.inChannels * m.kernel * m.kernel;
      return [
        { field: 'weight', shape: [m.outChannels, m.inChannels, m.kernel, m.kernel], buffer: false, fanIn },
        { field: 'bias', shape: [m.outChannels], buffer: false, fanIn },
      ];
    }
    case 'batchnorm':
      return [
        { field: 'weight', shape: [m.features], buffer: false, fanIn: 0 },
        { field: 'bias', shape: [m.features], buffer: false, fanIn: 0 },
        { field: 'running_mean', shape: [m.features], buffer: true, fanIn: 0 },
        { field: 'running_var', shape: [m.features], buffer: true, fanIn: 0 },
        { field: 'num_batches_tracked', shape: [], buffer: true, fanIn: 0 },
      ];
    default:
      return [];
  }
}

/** Multiply-adds per image (torchinfo's "Mult-Adds": Linear and Conv2d weights × output positions). */
export function moduleMultiplyAdds(m: Module): number {
  if (m.kind === 'linear') return m.inFeatures * m.outFeatures;
  if (m.kind === 'conv2d') return m.outChannels * m.inChannels * m.kernel * m.kernel * m.outShape[1] * m.outShape[2];
  return 0;
}

/** "Conv2d(32,3,padding=1)" for a layer-list module; the MLP's modules print the same way. */
export function moduleLabel(m: Module): string {
  switch (m.kind) {
    case 'linear':
      return formatLayer({ type: 'Linear', outFeatures: m.outFeatures });
    case 'conv2d':
      return formatLayer({
        type: 'Conv2d',
        outChannels: m.outChannels,
        kernelSize: m.kernel,
        stride: m.stride,
        padding: m.padding,
      });
    case 'maxpool':
    case 'avgpool':
      return formatLayer({
        type: m.kind === 'maxpool' ? 'MaxPool2d' : 'AvgPool2d',
        kernelSize: m.kernel,
        stride: m.stride,
      });
    case 'batchnorm':
      return m.inShape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
    case 'flatten':
      return 'Flatten';
    case 'dropout':
      return formatLayer({ type: 'Dropout', p: m.p });
    case 'log_softmax':
      return 'LogSoftmax';
    case 'activation':
      return { relu: 'ReLU', tanh: 'Tanh', sigmoid: 'Sigmoid', leaky_relu: 'LeakyReLU' }[m.activation];
  }
}

/** The flat input width the MLP form starts from. */
export const FLAT_INPUT: Shape = [PIXELS];
