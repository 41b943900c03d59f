/**
 * ONNX export of the inference model (eval mode: no dropout), built by the same graph builder
 * as training, with the metadata a user of the file needs: class names, input scaling and the
 * model's test accuracy.
 */
import { CLASS_NAMES } from '../core/dataset/types.js';
import { buildInferenceModel } from '../core/onnx/inference.js';
import { describeModel, type ModelSpec } from '../core/model/spec.js';
import type { NamedTensors } from '../core/tensors.js';
import { VERSION } from '../version.js';
import { assertWritable, writeFileAtomic } from './atomic.js';
import { assertReplaceable } from './fs-safe.js';
import { inspectOnnx } from './onnx-model.js';
import { assertFiniteTensors, checkParameters } from './safetensors.js';

/** metadata_props keys written into every export. */
export const ONNX_METADATA_KEYS = {
  classNames: 'class_names',
  inputScaling: 'input_scaling',
  testAccuracy: 'test_accuracy',
  modelSpec: 'fmnist_tui.spec',
  output: 'output',
} as const;

export const INPUT_SCALING = 'pixel / 255';

export interface ExportOptions {
  /** The model's accuracy on the test split (0..1), recorded in the metadata. */
  readonly testAccuracy?: number;
  readonly force?: boolean;
}

export interface ExportResult {
  readonly path: string;
  readonly bytes: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The ONNX bytes with fmnist-tui's metadata (pure apart from the builder). */
export function encodeOnnxExport(
  spec: ModelSpec,
  parameters: NamedTensors,
  options: { testAccuracy?: number } = {},
): { bytes: Uint8Array; metadata: Record<string, string> } {
  const ordered = checkParameters(parameters, spec, 'the weights to export');
  assertFiniteTensors(ordered, 'the weights to export');
  const metadata: Record<string, string> = {
    [ONNX_METADATA_KEYS.classNames]: JSON.stringify(CLASS_NAMES),
    [ONNX_METADATA_KEYS.inputScaling]: INPUT_SCALING,
    [ONNX_METADATA_KEYS.output]: spec.logSoftmax
      ? 'log-probabilities (log_softmax)'
      : 'logits (apply softmax for probabilities)',
    [ONNX_METADATA_KEYS.modelSpec]: JSON.stringify(spec),
  };
  if (options.testAccuracy !== undefined && Number.isFinite(options.testAccuracy))
    metadata[ONNX_METADATA_KEYS.testAccuracy] = options.testAccuracy.toFixed(4);
  const docString =
    `Fashion-MNIST classifier (${describeModel(spec)}), exported by fmnist-tui ${VERSION}. ` +
    `Input 'input': float32 [batch, 1, 28, 28], ${INPUT_SCALING} (light item on black). ` +
    `Output 'logits': float32 [batch, 10], classes ${CLASS_NAMES.join(', ')}.`;
  const bytes = buildInferenceModel(spec, ordered, { docString, metadata, producerVersion: VERSION });
  return { bytes, metadata };
}

/** Export atomically to `path`; an existing file is replaced only with `force`. */
export async function exportOnnx(
  path: string,
  spec: ModelSpec,
  parameters: NamedTensors,
  options: ExportOptions = {},
): Promise<ExportResult> {
  await assertReplaceable(path); // a device, FIFO, folder or symlink is refused even with --force
  assertWritable(path, options.force);
  const { bytes, metadata } = encodeOnnxExport(spec, parameters, options);
  inspectOnnx(bytes, 'the exported model'); // decodes as ONNX before it reaches the disk
  await writeFileAtomic(path, bytes, { force: options.force, mkdirs: true });
  return { path, bytes: bytes.length, metadata };
}
