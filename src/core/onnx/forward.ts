import { LEAKY_RELU_SLOPE, stackModules, type Activation, type ModelSpec } from '../model/spec.js';
import { float, type GraphBuilder } from './builder.js';

/** What the backward pass needs to know about one module of the forward pass. */
export type ForwardStep =
  | {
      readonly kind: 'linear';
      readonly index: number;
      readonly input: string;
      readonly weight: string;
      readonly weightName: string;
      readonly biasName: string;
      readonly first: boolean;
    }
  | {
      readonly kind: 'activation';
      readonly activation: Exclude<Activation, 'none'>;
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
}

export interface ForwardInputs {
  /** Float input [batch, 784], already scaled to 0..1. */
  readonly x: string;
  /** Graph value holding a parameter, by state_dict name (an initializer, graph input or loop-carried value). */
  readonly parameter: (stateDictName: string) => string;
  /** Dropout multipliers (0 or 1/(1-p)) by Sequential index: training mode. Absent: eval mode, dropout is the identity. */
  readonly dropoutMasks?: ReadonlyMap<number, string>;
  /** Name for the final value (e.g. 'logits'). */
  readonly outputName?: string;
}

/**
 * The spec's `linear_relu_stack` as ONNX nodes: the one forward pass shared by the exported
 * inference model, the training step, the evaluation graph and the gradient graph.
 * Linear layers are Gemm(x, W, b, transB=1) with W stored [out, in] as in PyTorch.
 */
export function buildForward(g: GraphBuilder, spec: ModelSpec, inputs: ForwardInputs): ForwardTrace {
  const modules = stackModules(spec);
  const steps: ForwardStep[] = [];
  let h = inputs.x;
  let first = true;
  modules.forEach((m, i) => {
    const last = i === modules.length - 1;
    const out = last && inputs.outputName !== undefined ? inputs.outputName : undefined;
    switch (m.kind) {
      case 'linear': {
        const weightName = `linear_relu_stack.${m.index}.weight`;
        const biasName = `linear_relu_stack.${m.index}.bias`;
        const weight = inputs.parameter(weightName);
        steps.push({ kind: 'linear', index: m.index, input: h, weight, weightName, biasName, first });
        h = g.op('Gemm', [h, weight, inputs.parameter(biasName)], { transB: 1 }, out);
        first = false;
        break;
      }
      case 'activation': {
        const input = h;
        h = activation(g, m.activation, h, out);
        steps.push({ kind: 'activation', activation: m.activation, input, output: h });
        break;
      }
      case 'dropout': {
        const mask = inputs.dropoutMasks?.get(m.index);
        if (mask) {
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
  return { output: h, steps };
}

function activation(g: GraphBuilder, kind: Exclude<Activation, 'none'>, x: string, out?: string): string {
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
