import type { Activation, Module } from '../model/modules.js';
import { LEAKY_RELU_SLOPE, stackModules, type ModelSpec } from '../model/spec.js';
import { float, type GraphBuilder } from './builder.js';
import { batchNormEval, batchNormTrain, convAttributes, poolAttributes } from './layer-ops.js';

type Mod<K extends Module['kind']> = Extract<Module, { kind: K }>;

/** What the backward pass needs to know about one module of the forward pass. */
export type ForwardStep =
  | {
      readonly kind: 'linear';
      readonly index: number;
      readonly input: string;
      readonly weight: string;
      readonly weightName: string;
      readonly biasName: string;
      /** The input needs no gradient (nothing before it has parameters). */
      readonly first: boolean;
    }
  | {
      readonly kind: 'conv2d';
      readonly module: Mod<'conv2d'>;
      readonly input: string;
      readonly weight: string;
      readonly weightName: string;
      readonly biasName: string;
      readonly first: boolean;
    }
  | {
      readonly kind: 'batchnorm';
      readonly module: Mod<'batchnorm'>;
      readonly centred: string;
      readonly invstd: string;
      readonly weight: string;
      readonly weightName: string;
      readonly biasName: string;
      readonly first: boolean;
    }
  | {
      readonly kind: 'maxpool';
      readonly module: Mod<'maxpool' | 'avgpool'>;
      readonly input: string;
      readonly indices: string;
      /** Pooled before a ReLU that came first in the spec (see buildForward): the ReLU's output. */
      readonly relu?: string;
    }
  | { readonly kind: 'avgpool'; readonly module: Mod<'maxpool' | 'avgpool'> }
  | { readonly kind: 'flatten'; readonly input: string }
  | {
      readonly kind: 'activation';
      readonly activation: Activation;
      readonly input: string;
      readonly output: string;
    }
  | { readonly kind: 'dropout'; readonly mask: string }
  | { readonly kind: 'log_softmax'; readonly output: string };

export interface ForwardTrace {
  /** The model's output value (logits, or log-probabilities when the spec ends in LogSoftmax). */
  readonly output: string;
  /** The modules in forward order, with the values their gradients need. */
  readonly steps: readonly ForwardStep[];
  /** Training mode: BatchNorm's running statistics after this batch, by state_dict name. */
  readonly bufferUpdates: ReadonlyMap<string, string>;
}

export interface ForwardInputs {
  /** Float input, already scaled to 0..1: [batch, 784], or [batch, 1, 28, 28] with `imageInput`. */
  readonly x: string;
  readonly imageInput?: boolean;
  /** Graph value holding a parameter, by state_dict name (an initializer, graph input or loop-carried value). */
  readonly parameter: (stateDictName: string) => string;
  /**
   * Training mode: dropout multipliers (0 or 1/(1-p), fed flat [batch, units]) by Sequential
   * index, and BatchNorm on batch statistics. Absent: eval mode (dropout is the identity,
   * BatchNorm uses the running statistics).
   */
  readonly dropoutMasks?: ReadonlyMap<number, string>;
  /** Name for the final value (e.g. 'logits'). */
  readonly outputName?: string;
}

/**
 * The spec's Sequential as ONNX nodes: the one forward pass shared by the exported inference
 * model, the training step, the evaluation graph and the gradient graph. Linear layers are
 * Gemm(x, W, b, transB=1) with W stored [out, in] as in PyTorch; Conv2d is Conv with W
 * [out, in, k, k]; training-mode BatchNorm is written out (its backward needs x̂ and 1/σ).
 */
export function buildForward(g: GraphBuilder, spec: ModelSpec, inputs: ForwardInputs): ForwardTrace {
  const modules = stackModules(spec);
  const steps: ForwardStep[] = [];
  const bufferUpdates = new Map<string, string>();
  const training = inputs.dropoutMasks !== undefined;
  const wantsImage = modules[0].inShape.length === 3;
  let h = inputs.x;
  if (wantsImage && !inputs.imageInput) h = g.op('Reshape', [h, g.constInt64([-1, ...modules[0].inShape])]);
  if (!wantsImage && inputs.imageInput) h = g.op('Flatten', [h], { axis: 1 });
  let first = true;
  let pooledRelu = false;
  modules.forEach((m, i) => {
    if (pooledRelu) {
      pooledRelu = false;
      return;
    }
    const last = i === modules.length - 1;
    const out = last && inputs.outputName !== undefined ? inputs.outputName : undefined;
    const param = (field: string) => inputs.parameter(`${m.name}.${field}`);
    switch (m.kind) {
      case 'linear': {
        const weight = param('weight');
        const names = { weightName: `${m.name}.weight`, biasName: `${m.name}.bias` };
        steps.push({ kind: 'linear', index: m.index, input: h, weight, ...names, first });
        h = g.op('Gemm', [h, weight, param('bias')], { transB: 1 }, out);
        first = false;
        break;
      }
      case 'conv2d': {
        const weight = param('weight');
        const names = { weightName: `${m.name}.weight`, biasName: `${m.name}.bias` };
        steps.push({ kind: 'conv2d', module: m, input: h, weight, ...names, first });
        h = g.op('Conv', [h, weight, param('bias')], convAttributes(m), out);
        first = false;
        break;
      }
      case 'batchnorm': {
        const p = { weight: param('weight'), bias: param('bias'), mean: param('running_mean') };
        const variance = param('running_var');
        if (!training) {
          h = batchNormEval(g, h, { ...p, variance }, out);
          break;
        }
        const bn = batchNormTrain(g, m, h, { ...p, variance, count: param('num_batches_tracked') });
        ['running_mean', 'running_var', 'num_batches_tracked'].forEach((field, j) =>
          bufferUpdates.set(`${m.name}.${field}`, bn.running[j]),
        );
        const names = { weightName: `${m.name}.weight`, biasName: `${m.name}.bias` };
        steps.push({
          kind: 'batchnorm',
          module: m,
          centred: bn.centred,
          invstd: bn.invstd,
          weight: p.weight,
          ...names,
          first,
        });
        h = out === undefined ? bn.output : g.op('Identity', [bn.output], {}, out);
        first = false;
        break;
      }
      case 'maxpool': {
        if (!training || first) {
          h = g.op('MaxPool', [h], poolAttributes(m), out);
          break;
        }
        const input = h;
        const [y, indices] = g.node('MaxPool', [h], poolAttributes(m), out === undefined ? 2 : [out, g.fresh('idx')]);
        steps.push({ kind: 'maxpool', module: m, input, indices });
        h = y;
        break;
      }
      case 'avgpool':
        h = g.op('AveragePool', [h], poolAttributes(m), out);
        steps.push({ kind: 'avgpool', module: m });
        break;
      case 'flatten': {
        const input = h;
        h = g.op('Flatten', [h], { axis: 1 }, out);
        steps.push({ kind: 'flatten', input });
        break;
      }
      case 'activation': {
        const next = modules[i + 1];
        if (m.activation === 'relu' && next?.kind === 'maxpool') {
          // MaxPool(ReLU(x)) = ReLU(MaxPool(x)) exactly, and the gradient only reaches a window's
          // first maximum when it is > 0: pooling first runs the ReLU (and its backward) on a quarter.
          const nextOut = i + 1 === modules.length - 1 ? inputs.outputName : undefined;
          pooledRelu = true;
          if (!training || first) {
            h = g.op('Relu', [g.op('MaxPool', [h], poolAttributes(next))], {}, nextOut);
            break;
          }
          const [pooled, indices] = g.node('MaxPool', [h], poolAttributes(next), 2);
          steps.push({
            kind: 'maxpool',
            module: next,
            input: h,
            indices,
            relu: (h = g.op('Relu', [pooled], {}, nextOut)),
          });
          break;
        }
        const input = h;
        h = activation(g, m.activation, h, out);
        steps.push({ kind: 'activation', activation: m.activation, input, output: h });
        break;
      }
      case 'dropout': {
        let mask = inputs.dropoutMasks?.get(m.index);
        if (mask) {
          if (m.inShape.length > 1) mask = g.op('Reshape', [mask, g.op('Shape', [h])]);
          h = g.op('Mul', [h, mask], {}, out);
          steps.push({ kind: 'dropout', mask });
        } else if (out !== undefined) h = g.op('Identity', [h], {}, out);
        break;
      }
      case 'log_softmax':
        h = g.op('LogSoftmax', [h], { axis: 1 }, out);
        steps.push({ kind: 'log_softmax', output: h });
        break;
    }
  });
  return { output: h, steps, bufferUpdates };
}

function activation(g: GraphBuilder, kind: Activation, x: string, out?: string): string {
  switch (kind) {
    case 'relu':
      return g.op('Relu', [x], {}, out);
    case 'tanh':
      return g.op('Tanh', [x], {}, out);
    case 'sigmoid':
      return g.op('Sigmoid', [x], {}, out);
    case 'leaky_relu':
      return g.op('LeakyRelu', [x], { alpha: float(LEAKY_RELU_SLOPE) }, out);
  }
}

/** uint8 pixels [batch, 784] → float32 pixel / 255, exactly torchvision's ToTensor (a division, not a multiply). */
export function scalePixels(g: GraphBuilder, pixels: string): string {
  return g.op('Div', [g.op('Cast', [pixels], { to: 1 }), g.constFloat(255)]);
}
