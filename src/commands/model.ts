import { UsageError } from '../core/errors.js';
import { pytorchSource } from '../core/model/pytorch.js';
import { PRESET_NAMES, PRESETS } from '../core/model/spec.js';
import { formatSummary, summarizeModel } from '../core/model/summary.js';
import { layerSpecFromFlags } from '../config/layer-flags.js';
import { parseChoice, parseFlags, type CommandContext } from './context.js';

export const MODEL_HELP = `Usage
  $ fmnist-tui model [--layers "LIST" | --preset NAME] [flags]

Show a model before training it: every layer with its output shape,
parameters and multiply-adds, and the totals (like torchinfo's summary), or
its PyTorch source. The same --layers string trains it: 'fmnist-tui train
--layers "…"'.

Layers (PyTorch's names and defaults; input sizes are inferred)
  Conv2d(out_channels, kernel_size, stride=1, padding=0)
  MaxPool2d(kernel_size, stride=kernel_size)   AvgPool2d(…the same)
  BatchNorm2d  BatchNorm1d  Dropout(p=0.5)  Flatten  Linear(out_features)
  ReLU  Tanh  Sigmoid  LeakyReLU  LogSoftmax
The input is [batch, 1, 28, 28] (pixel / 255); the last layer must give 10.

Flags
      --layers "LIST"   the layers, separated by spaces
      --preset NAME     ${PRESET_NAMES.join(', ')} (default seed)
      --pytorch         print model.py, the PyTorch source of the model
      --json            print the summary as JSON
  -h, --help            show this help

Examples
  $ fmnist-tui model --preset cnn
  $ fmnist-tui model --layers "Conv2d(32,3,padding=1) BatchNorm2d ReLU
      MaxPool2d(2) Flatten Dropout(0.25) Linear(128) ReLU Linear(10)"
  $ fmnist-tui model --preset cnn --pytorch > model.py
`;

export async function runModel(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseFlags('model', argv, {
    layers: { type: 'string' },
    preset: { type: 'string' },
    pytorch: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout.write(MODEL_HELP);
    return 0;
  }
  if (values.pytorch && values.json) throw new UsageError('--pytorch and --json are two outputs; give one of them');
  const preset = parseChoice('--preset', values.preset, PRESET_NAMES, 'seed');
  const spec =
    layerSpecFromFlags({ layers: values.layers, preset: values.preset }, PRESETS[preset], 'cross_entropy') ??
    PRESETS[preset];
  if (values.pytorch) ctx.stdout.write(pytorchSource(spec));
  else if (values.json) ctx.stdout.write(`${JSON.stringify(summarizeModel(spec))}\n`);
  else ctx.stdout.write(formatSummary(summarizeModel(spec)));
  return 0;
}
