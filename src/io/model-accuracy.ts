import { NUM_CLASSES, PIXELS } from '../core/dataset/types.js';
import type { ModelSpec } from '../core/model/spec.js';
import type { NamedTensors } from '../core/tensors.js';
import { argmax } from '../core/verify/compare.js';
import { loadDataset } from './data/load.js';
import { encodeOnnxExport } from './onnx-export.js';
import { openOnnxBytes } from './onnx-model.js';

/** Test accuracy of a model, measured by running its inference graph with onnxruntime. */
export async function measureOnnxAccuracy(
  spec: ModelSpec,
  parameters: NamedTensors,
  options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ accuracy: number; count: number; source: string }> {
  const data = await loadDataset({ dataDir: options.dataDir, env: options.env });
  const model = await openOnnxBytes(encodeOnnxExport(spec, parameters).bytes, 'the model');
  try {
    const { test } = data;
    let correct = 0;
    const batch = 1000;
    for (let start = 0; start < test.count; start += batch) {
      const n = Math.min(batch, test.count - start);
      const logits = await model.run(test.images.subarray(start * PIXELS, (start + n) * PIXELS), n);
      for (let i = 0; i < n; i++) if (argmax(logits, i * NUM_CLASSES) === test.labels[start + i]) correct++;
    }
    return { accuracy: correct / test.count, count: test.count, source: data.source.description };
  } finally {
    await model.release();
  }
}
