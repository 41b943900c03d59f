import { NUM_CLASSES, PIXELS } from '../dataset/types.js';
import type { Module } from './modules.js';
import { isLayerList, LEAKY_RELU_SLOPE, stackModules, type ModelSpec } from './spec.js';

/** One module as PyTorch source, with its input sizes written out (no Lazy modules needed). */
function torchModule(m: Module): string {
  switch (m.kind) {
    case 'linear':
      return `nn.Linear(${m.inFeatures}, ${m.outFeatures})`;
    case 'conv2d': {
      const extra = `${m.stride !== 1 ? `, stride=${m.stride}` : ''}${m.padding !== 0 ? `, padding=${m.padding}` : ''}`;
      return `nn.Conv2d(${m.inChannels}, ${m.outChannels}, kernel_size=${m.kernel}${extra})`;
    }
    case 'batchnorm':
      return `nn.BatchNorm${m.inShape.length === 3 ? '2' : '1'}d(${m.features})`;
    case 'maxpool':
    case 'avgpool':
      return `nn.${m.kind === 'maxpool' ? 'MaxPool2d' : 'AvgPool2d'}(kernel_size=${m.kernel}, stride=${m.stride})`;
    case 'flatten':
      return 'nn.Flatten()';
    case 'dropout':
      return `nn.Dropout(p=${m.p})`;
    case 'log_softmax':
      return 'nn.LogSoftmax(dim=1)';
    case 'activation':
      return {
        relu: 'nn.ReLU()',
        tanh: 'nn.Tanh()',
        sigmoid: 'nn.Sigmoid()',
        leaky_relu: `nn.LeakyReLU(negative_slope=${LEAKY_RELU_SLOPE})`,
      }[m.activation];
  }
}

const shape = (s: readonly number[]) => `[${['batch', ...s].join(', ')}]`;

/**
 * model.py: the PyTorch source of the model, written into every run folder, so that
 * `NeuralNetwork().load_state_dict(safetensors.torch.load_file("model.safetensors"))` loads
 * the saved weights as they are (strict), and `torch.manual_seed(N); NeuralNetwork()` gives
 * the weights `--seed N` starts from. The MLP form keeps the seed program's module
 * (`self.flatten` + `self.linear_relu_stack`); a layer list is `self.layers`.
 */
export function pytorchSource(spec: ModelSpec, producer = 'fmnist-tui'): string {
  const modules = stackModules(spec);
  const attribute = isLayerList(spec) ? 'layers' : 'linear_relu_stack';
  const body = modules.map((m) => `            ${torchModule(m)},  # ${m.index}: → ${shape(m.outShape)}`).join('\n');
  const forward = isLayerList(spec)
    ? '        return self.layers(x)'
    : '        return self.linear_relu_stack(self.flatten(x))';
  return `# The PyTorch source of the model saved beside this file (written by ${producer}).
#
#   import safetensors.torch  # pip install safetensors
#   model = NeuralNetwork()
#   model.load_state_dict(safetensors.torch.load_file("model.safetensors"))
#   model.eval()
#   logits = model(images)  # images: float32 [batch, 1, 28, 28], pixel / 255 (ToTensor())
#
# Input [batch, 1, 28, 28] (${PIXELS} pixels) → ${NUM_CLASSES} class scores.
# torch.manual_seed(N); NeuralNetwork() gives exactly the weights fmnist-tui's --seed N starts from.
from torch import nn


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
${isLayerList(spec) ? '' : '        self.flatten = nn.Flatten()\n'}        self.${attribute} = nn.Sequential(
${body}
        )

    def forward(self, x):
${forward}
`;
}
