/**
 * Opening an exported model for inference: read the file, check it is an ONNX model with the
 * fmnist-tui interface (input `input` [batch, 1, 28, 28], output `logits` [batch, 10]) and
 * run it in a fresh onnxruntime-node session. Every failure is one line.
 */
import onnxProto from 'onnx-proto';
import '../engines/onnx/no-telemetry.js'; // before onnxruntime-node: no device id, no telemetry
import * as ort from 'onnxruntime-node';
import { UserError } from '../core/errors.js';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../core/dataset/types.js';
import { INFERENCE_INPUT, INFERENCE_OUTPUT } from '../core/onnx/inference.js';
import { readFileBytes } from './safetensors.js';

const { onnx } = onnxProto;

/** The exported model's interface, as buildInferenceModel names it. */
export const INPUT_NAME = INFERENCE_INPUT;
export const OUTPUT_NAME = INFERENCE_OUTPUT;
export const ONNXRUNTIME_VERSION = `onnxruntime-node ${ort.env.versions.node ?? ort.env.versions.common}`;

export interface OnnxModelInfo {
  readonly irVersion: number;
  readonly opsetVersion: number;
  readonly producer: string;
  readonly docString: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface OnnxModel {
  readonly path: string;
  readonly info: OnnxModelInfo;
  /** Logits for `count` images (uint8 pixels; scaled by 1/255 here as the model expects). */
  run(images: Uint8Array, count: number): Promise<Float32Array>;
  /** Logits for already-scaled float input [count, 1, 28, 28]. */
  runScaled(input: Float32Array, count: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Decode the ModelProto far enough to tell ONNX from anything else, and read its metadata. */
export function inspectOnnx(bytes: Uint8Array, what: string): OnnxModelInfo {
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    throw new UserError(`${what} is not an ONNX model (it does not decode as an ONNX ModelProto)`);
  }
  const ir = Number(model.irVersion);
  if (!model.graph || !(ir >= 1 && ir < 100) || model.opsetImport.length === 0)
    throw new UserError(`${what} is not an ONNX model (no graph, IR version or opset)`);
  const metadata: Record<string, string> = {};
  for (const p of model.metadataProps) if (p.key) metadata[p.key] = p.value ?? '';
  const opset = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  return {
    irVersion: ir,
    opsetVersion: Number(opset?.version ?? 0),
    producer: `${model.producerName} ${model.producerVersion}`.trim(),
    docString: model.docString,
    metadata,
  };
}

/** Scale uint8 pixels to the model's float input (pixel / 255, like torchvision's ToTensor). */
export function scalePixels(images: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count * PIXELS);
  for (let i = 0; i < out.length; i++) out[i] = images[i] / 255;
  return out;
}

/** Open `path` in a fresh onnxruntime session. */
export async function openOnnxModel(path: string): Promise<OnnxModel> {
  return openOnnxBytes(await readFileBytes(path), path);
}

/** Open model bytes in a fresh onnxruntime session; `path` names them in errors. */
export async function openOnnxBytes(bytes: Uint8Array, path: string): Promise<OnnxModel> {
  const info = inspectOnnx(bytes, path);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
  } catch (err) {
    const reason = String((err as Error).message ?? err)
      .split('\n')[0]
      .slice(0, 200);
    throw new UserError(`${path} is not a model onnxruntime can load: ${reason}`, { cause: err });
  }
  if (!session.inputNames.includes(INPUT_NAME) || !session.outputNames.includes(OUTPUT_NAME)) {
    await session.release();
    throw new UserError(
      `${path} is not an fmnist-tui model: it needs input '${INPUT_NAME}' and output '${OUTPUT_NAME}' ` +
        `(it has inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')})`,
    );
  }
  const runScaled = async (input: Float32Array, count: number) => {
    let result: ort.InferenceSession.ReturnType;
    try {
      result = await session.run(
        { [INPUT_NAME]: new ort.Tensor('float32', input, [count, 1, IMAGE_SIZE, IMAGE_SIZE]) },
        [OUTPUT_NAME],
      );
    } catch (err) {
      throw new UserError(
        `${path} failed on a batch of ${count} images of 1×28×28: ${String((err as Error).message)
          .split('\n')[0]
          .slice(0, 200)}`,
      );
    }
    const out = result[OUTPUT_NAME];
    if (out.type !== 'float32' || out.dims.length !== 2 || out.dims[0] !== count || out.dims[1] !== NUM_CLASSES)
      throw new UserError(
        `${path} is not an fmnist-tui model: its output is ${out.type} [${out.dims.join(', ')}], expected float32 [${count}, ${NUM_CLASSES}]`,
      );
    return out.data as Float32Array;
  };
  return {
    path,
    info,
    runScaled,
    run: (images, count) => runScaled(scalePixels(images, count), count),
    release: () => session.release(),
  };
}
