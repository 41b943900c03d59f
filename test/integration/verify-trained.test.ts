import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NUM_CLASSES, PIXELS } from '../../src/core/dataset/types.js';
import { UserError } from '../../src/core/errors.js';
import { PRESETS } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { ENGINE_NAMES, type Engine, type EngineName } from '../../src/core/train/engine.js';
import { OPTIMIZER_DEFAULTS } from '../../src/core/train/hyperparameters.js';
import { argmax } from '../../src/core/verify/compare.js';
import { createEngine } from '../../src/engines/index.js';
import { loadDataset } from '../../src/io/data/load.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';
import { loadImageForModel, writeGrayPng } from '../../src/io/images.js';
import { exportOnnx } from '../../src/io/onnx-export.js';
import { openOnnxModel } from '../../src/io/onnx-model.js';
import { formatVerifyReport, verifyExport } from '../../src/io/verify.js';

const spec = PRESETS.recommended;
const STEPS = 40;
const BATCH = 64;

async function trained(name: EngineName): Promise<Engine | string> {
  let engine: Engine;
  try {
    engine = await createEngine(name, {
      spec,
      loss: 'cross_entropy',
      optimizer: OPTIMIZER_DEFAULTS.adam,
      parameters: initParameters(spec, 0),
    });
  } catch (err) {
    if (err instanceof UserError) return `the ${name} engine is not available here: ${err.message}`;
    throw err;
  }
  const { train } = await loadDataset({ dataDir: embeddedDataDir() });
  // The embedded sample is sorted by class? Stride through it so every batch mixes classes.
  const batches = [];
  for (let s = 0; s < STEPS; s++) {
    const images = new Uint8Array(BATCH * PIXELS);
    const labels = new Uint8Array(BATCH);
    for (let i = 0; i < BATCH; i++) {
      const n = ((s * BATCH + i) * 37) % train.count;
      images.set(train.images.subarray(n * PIXELS, (n + 1) * PIXELS), i * PIXELS);
      labels[i] = train.labels[n];
    }
    batches.push({ images, labels, count: BATCH, learningRate: 1e-3, dropoutSeed: s });
  }
  for (let s = 0; s < STEPS; s += 10) await engine.trainSteps(batches.slice(s, s + 10));
  return engine;
}

for (const name of ENGINE_NAMES) {
  test(`a model trained by the ${name} engine exports, verifies PASS, and classifies a PNG of a test image`, async (t) => {
    const engine = await trained(name);
    if (typeof engine === 'string') return t.skip(engine);
    try {
      const { test: split } = await loadDataset({ dataDir: embeddedDataDir() });
      const dir = mkdtempSync(join(tmpdir(), 'fmnist-trained-'));
      const onnxPath = join(dir, 'model.onnx');
      await exportOnnx(onnxPath, spec, await engine.getParameters());
      const report = await verifyExport({
        onnxPath,
        reference: (images, count) => engine.predict(images, count),
        test: split,
        batchOneCount: 100,
      });
      t.diagnostic(formatVerifyReport(report).split('\n').slice(3, 7).join(' | '));
      assert.equal(report.verdict, 'PASS', formatVerifyReport(report));
      assert.ok(report.exportAccuracy > 0.5, `a few steps of Adam should pass 50% (got ${report.exportAccuracy})`);

      // A PNG made from a test image the model gets right is classified right through sharp.
      const logits = await engine.predict(split.images.subarray(0, 50 * PIXELS), 50);
      const i = [...Array(50).keys()].find((k) => argmax(logits, k * NUM_CLASSES) === split.labels[k]);
      assert.ok(i !== undefined);
      const png = join(dir, 'test-image.png');
      await writeGrayPng(png, split.images.subarray(i * PIXELS, (i + 1) * PIXELS));
      const model = await openOnnxModel(onnxPath);
      try {
        const out = await model.run((await loadImageForModel(png)).pixels, 1);
        assert.equal(argmax(out, 0), split.labels[i]);
      } finally {
        await model.release();
      }
    } finally {
      await engine.dispose();
    }
  });
}
