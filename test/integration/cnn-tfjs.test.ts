// The TF.js engine on CNNs: the same layers through TF.js's automatic differentiation, against
// PyTorch's numbers (test/fixtures/cnn-torch-steps.json) and against the ONNX engine over 20
// steps with every layer kind, Dropout included (both engines draw the same masks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOnnxEngine } from '../../src/engines/onnx-engine.js';
import { createTfjsEngine } from '../../src/engines/tfjs-engine.js';
import { initParameters } from '../../src/core/model/init.js';
import { parseLayers } from '../../src/core/model/parse-layers.js';
import { layerListSpec, stackModules } from '../../src/core/model/spec.js';
import { OPTIMIZER_DEFAULTS, type LossName } from '../../src/core/train/hyperparameters.js';
import type { Engine, EngineOptions, TrainBatch } from '../../src/core/train/engine.js';
import { cnnBatches, cnnGolden, cnnImages, cnnLabels, cnnSpec, toTensors } from './cnn-fixtures.js';
import { l2Relative, scaledError, worstRelative } from './tfjs-fixtures.js';

test('TF.js engine trains the CNN with every layer kind like PyTorch (SGD momentum)', async () => {
  const c = cnnGolden.cases.find((k) => k.optimizer === 'sgd')!;
  const engine = await createTfjsEngine({
    spec: cnnSpec,
    loss: 'nll',
    optimizer: { ...OPTIMIZER_DEFAULTS.sgd, momentum: c.options.momentum },
    parameters: toTensors(cnnGolden.init_seeds['0']),
  });
  try {
    const losses = await engine.trainSteps(cnnBatches(c.lr));
    assert.ok(worstRelative(losses, c.losses, 0) <= 1e-5, `losses ${[...losses]} vs torch ${c.losses}`);
    const params = await engine.getParameters();
    const modules = stackModules(cnnSpec);
    // Biases right before a BatchNorm have a true gradient of 0 (float noise on both sides).
    const noise = modules.filter((_, i) => modules[i + 1]?.kind === 'batchnorm').map((m) => `${m.name}.bias`);
    for (const [name, t] of Object.entries(c.final_state)) {
      if (noise.includes(name)) continue;
      const err = scaledError(params.get(name)!.data, t.data);
      assert.ok(err <= 1e-4, `${name}: max |Δ| / max |w| = ${err.toExponential(2)}`);
    }
    const evaluation = await engine.evaluate(cnnImages, cnnLabels, cnnLabels.length);
    const expected = Float32Array.from(cnnGolden.labels, (y, i) => -c.eval_output[i * 10 + y]);
    assert.ok(worstRelative(evaluation.losses, expected, 1e-6) <= 1e-4, 'eval-mode losses');
  } finally {
    await engine.dispose();
  }
});

const LAYERS =
  'Conv2d(3,3,padding=1) BatchNorm2d LeakyReLU MaxPool2d(2) Conv2d(4,3,stride=2,padding=1) Tanh ' +
  'AvgPool2d(2,stride=1) Dropout(0.3) Flatten Linear(12) BatchNorm1d Sigmoid Dropout(0.2) Linear(10) LogSoftmax';

async function run(engine: Engine, work: TrainBatch[]) {
  try {
    const losses = new Float32Array([
      ...(await engine.trainSteps(work.slice(0, 7))),
      ...(await engine.trainSteps(work.slice(7))),
    ]);
    return { losses, params: await engine.getParameters() };
  } finally {
    await engine.dispose();
  }
}

for (const [optimizer, loss] of [
  [{ ...OPTIMIZER_DEFAULTS.adam, weightDecay: 0.01 }, 'nll'],
  [{ ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9, nesterov: true }, 'nll'],
] as const)
  test(`onnx = tfjs over 20 steps, every layer kind with dropout: ${optimizer.kind}`, async () => {
    const spec = layerListSpec(parseLayers(LAYERS));
    const options: EngineOptions = { spec, loss: loss as LossName, optimizer, parameters: initParameters(spec, 4) };
    const work: TrainBatch[] = Array.from({ length: 20 }, (_, s) => {
      const a = (s * 16) % 32;
      return {
        images: cnnImages.subarray(a * 784, (a + 16) * 784),
        labels: cnnLabels.subarray(a, a + 16),
        count: 16,
        learningRate: optimizer.kind === 'adam' ? 0.003 : 0.05,
        dropoutSeed: 100 + s,
      };
    });
    const onnx = await run(await createOnnxEngine(options), work);
    const tfjs = await run(await createTfjsEngine(options), work);
    assert.ok(worstRelative(onnx.losses, tfjs.losses, 0) <= 1e-4, `onnx ${[...onnx.losses]}\ntfjs ${[...tfjs.losses]}`);
    assert.deepEqual([...onnx.params.keys()], [...tfjs.params.keys()]);
    for (const [name, t] of tfjs.params) {
      const rel = l2Relative(onnx.params.get(name)!.data, t.data);
      assert.ok(rel <= 1e-3, `${name}: ‖Δ‖ / ‖w‖ = ${rel.toExponential(2)}`);
    }
  });
