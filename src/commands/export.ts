import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { PRESETS, PRESET_NAMES, describeModel, type ModelSpec } from '../core/model/spec.js';
import { assertReplaceable } from '../io/fs-safe.js';
import { exportOnnx } from '../io/onnx-export.js';
import { readModelFile } from '../io/model-file.js';
import { RUN_FILES } from '../io/run-folder-files.js';
import { parseChoice, parseFlags, writeLine, type CommandContext } from './context.js';
import { measureOnnxAccuracy } from '../io/model-accuracy.js';

export const EXPORT_HELP = `Usage
  $ fmnist-tui export <weights.safetensors | checkpoint.ckpt> [flags]

Export a trained model to ONNX: the inference graph (eval mode, no dropout),
input 'input' float32 [batch, 1, 28, 28] = pixel / 255, output 'logits'
[batch, 10], opset 17, IR 8. The file's metadata records the class names, the
input scaling and the test accuracy (from the checkpoint's history, else
measured now on the test data with onnxruntime).

Flags
  -o, --output FILE     where to write (default: model.onnx beside the input)
      --preset NAME     the model of a weights file written by another tool
                        (${PRESET_NAMES.join(', ')}); files saved by
                        fmnist-tui carry their model in their metadata
      --data-dir DIR    Fashion-MNIST files for measuring the accuracy
                        (default: the usual search)
      --no-accuracy     do not measure the test accuracy when the input does
                        not record it
      --force           replace an existing output file
      --json            print the result as JSON
  -h, --help            show this help

Examples
  $ fmnist-tui export runs/best/model.safetensors
  $ fmnist-tui export runs/best/checkpoint.ckpt -o fashion.onnx --force
  $ fmnist-tui verify fashion.onnx --weights runs/best/model.safetensors
`;

export async function runExport(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags(
    'export',
    argv,
    {
      output: { type: 'string', short: 'o' },
      preset: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-accuracy': { type: 'boolean' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    { positionals: true },
  );
  if (values.help) {
    ctx.stdout.write(EXPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `export needs one weights or checkpoint file (got ${positionals.length}; see 'fmnist-tui export --help')`,
    );
  const input = positionals[0];
  const spec: ModelSpec | undefined = values.preset
    ? PRESETS[parseChoice('--preset', values.preset, PRESET_NAMES, 'seed')]
    : undefined;
  const output = values.output ?? join(dirname(input), RUN_FILES.onnx);
  // Refuse before reading or measuring anything.
  await assertReplaceable(output); // a device, FIFO, folder or symlink: refused even with --force
  if (!values.force && existsSync(output))
    throw new UsageError(`${output} already exists (use --force to replace it, or -o to choose another file)`);

  const model = await readModelFile(input, spec);
  let testAccuracy = model.checkpoint?.history.at(-1)?.testAccuracy;
  let accuracySource = testAccuracy !== undefined ? `checkpoint, epoch ${model.checkpoint!.epoch}` : undefined;
  if (testAccuracy === undefined && !values['no-accuracy']) {
    const measured = await measureOnnxAccuracy(model.spec, model.parameters, {
      dataDir: values['data-dir'],
      env: ctx.env,
    });
    testAccuracy = measured.accuracy;
    accuracySource = `measured on ${measured.count.toLocaleString('en-US')} test images (${measured.source})`;
  }
  const result = await exportOnnx(output, model.spec, model.parameters, { testAccuracy, force: values.force });
  if (values.json) {
    writeLine(
      ctx.stdout,
      JSON.stringify({
        input,
        kind: model.kind,
        output: result.path,
        bytes: result.bytes,
        spec: model.spec,
        testAccuracy: testAccuracy ?? null,
        metadata: result.metadata,
      }),
    );
    return 0;
  }
  writeLine(ctx.stdout, `Exported ${input} (${model.kind}, ${describeModel(model.spec)})`);
  writeLine(ctx.stdout, `  → ${result.path} (${(result.bytes / 1e6).toFixed(2)} MB, ONNX IR 8, opset 17)`);
  writeLine(
    ctx.stdout,
    `  input 'input' float32 [batch, 1, 28, 28] = pixel / 255; output 'logits' float32 [batch, 10]`,
  );
  if (testAccuracy !== undefined)
    writeLine(ctx.stdout, `  test accuracy ${(100 * testAccuracy).toFixed(2)}% (${accuracySource})`);
  writeLine(
    ctx.stdout,
    `Check it: fmnist-tui verify ${result.path}${dirname(result.path) === dirname(input) ? '' : ` --weights ${input}`}`,
  );
  return 0;
}
