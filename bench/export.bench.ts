// Export and verification costs for the seed-sized model: safetensors write/read, ONNX export,
// and verifyExport's three runs over the test split (full data when installed, else the sample).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESETS } from '../src/core/model/spec.js';
import { initParameters } from '../src/core/model/init.js';
import { OPTIMIZER_DEFAULTS } from '../src/core/train/hyperparameters.js';
import { createEngine } from '../src/engines/index.js';
import { loadDataset } from '../src/io/data/load.js';
import { exportOnnx } from '../src/io/onnx-export.js';
import { readWeights, writeWeights } from '../src/io/safetensors.js';
import { verifyExport } from '../src/io/verify.js';
import { median, type BenchRow } from './types.js';

async function time(fn: () => Promise<unknown>, repeats: number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

export async function run(): Promise<BenchRow[]> {
  const spec = PRESETS.seed;
  const parameters = initParameters(spec, 0);
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-bench-export-'));
  const weights = join(dir, 'model.safetensors');
  const onnxPath = join(dir, 'model.onnx');
  try {
    const writeMs = await time(() => writeWeights(weights, parameters, spec, { force: true }), 5);
    const readMs = await time(() => readWeights(weights), 5);
    const exportMs = await time(() => exportOnnx(onnxPath, spec, parameters, { force: true }), 5);
    const data = await loadDataset();
    const engine = await createEngine('onnx', {
      spec,
      loss: 'cross_entropy',
      optimizer: OPTIMIZER_DEFAULTS.sgd,
      parameters,
    });
    try {
      const report = await verifyExport({
        onnxPath,
        reference: (images, count) => engine.predict(images, count),
        test: data.test,
      });
      const images = `${data.test.count} test images`;
      return [
        { name: 'weights write (seed model)', value: writeMs, unit: 'ms', detail: { bytes: statSync(weights).size } },
        { name: 'weights read + validate (seed model)', value: readMs, unit: 'ms' },
        { name: 'ONNX export (seed model)', value: exportMs, unit: 'ms', detail: { bytes: statSync(onnxPath).size } },
        { name: `verify: reference logits (onnx engine), ${images}`, value: report.referenceSeconds, unit: 's' },
        { name: `verify: batches of ${report.batched.batchSize}, ${images}`, value: report.batched.seconds, unit: 's' },
        {
          name: `verify: batch size 1, ${images}`,
          value: report.batchOne.seconds,
          unit: 's',
          detail: { perImageMs: (1000 * report.batchOne.seconds) / report.batchOne.count },
        },
        { name: `verify: one batch of ${report.largeBatch.batchSize}`, value: report.largeBatch.seconds, unit: 's' },
        {
          name: 'verify: max |Δ| (untrained seed model)',
          value: report.batched.maxAbsDiff,
          unit: 'abs',
          detail: { verdict: report.verdict },
        },
      ];
    } finally {
      await engine.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
