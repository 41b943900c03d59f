// The ONNX engine on a small CNN with every layer kind against PyTorch's own numbers
// (test/fixtures/cnn-torch-steps.json from scripts/cnn-torch-golden.py): first-step gradients,
// per-step losses, the final state_dict (BatchNorm running statistics included) and eval outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { createOnnxEngine } from '../../src/engines/onnx-engine.js';
import { gradOutput, IO } from '../../src/core/onnx/training.js';
import { buildGradientModel } from '../../src/core/onnx/eval-models.js';
import { stackModules } from '../../src/core/model/spec.js';
import { OPTIMIZER_DEFAULTS, type OptimizerOptions } from '../../src/core/train/hyperparameters.js';
import { cnnBatches, cnnGolden, cnnImages, cnnLabels, cnnSpec, toTensors } from './cnn-fixtures.js';
import { scaledError, worstRelative } from './tfjs-fixtures.js';

// A Conv2d/Linear bias right before a BatchNorm: BatchNorm subtracts the batch mean, so its true
// gradient is 0 and both sides hold float noise (~1e-6): compared absolutely. Under Adam the
// noise is normalised into lr-sized steps in random directions, so its final value (and the
// running mean of the BatchNorm after it, which includes it) is compared under SGD only.
const modules = stackModules(cnnSpec);
const beforeNorm = modules.filter((_, i) => modules[i + 1]?.kind === 'batchnorm');
const NOISE_ONLY = beforeNorm.map((m) => `${m.name}.bias`);
const NOISE_UNDER_ADAM = [...NOISE_ONLY, ...beforeNorm.map((m) => `${modules[m.index + 1].name}.running_mean`)];

export function cnnOptimizer(kind: 'sgd' | 'adam', o: Record<string, number>): OptimizerOptions {
  return kind === 'sgd'
    ? { ...OPTIMIZER_DEFAULTS.sgd, kind, momentum: o.momentum ?? 0 }
    : { ...OPTIMIZER_DEFAULTS.adam, kind };
}

test('CNN gradient graph equals PyTorch first-step gradients (every layer kind)', async () => {
  const session = await ort.InferenceSession.create(buildGradientModel(cnnSpec, 'nll'));
  const params = toTensors(cnnGolden.init_seeds['0']);
  const [a, b] = cnnGolden.batches[0];
  const feeds: Record<string, ort.Tensor> = {
    [IO.images]: new ort.Tensor('uint8', cnnImages.slice(a * 784, b * 784), [b - a, 784]),
    [IO.labels]: new ort.Tensor('uint8', cnnLabels.slice(a, b), [b - a]),
    'dropout_mask.12': new ort.Tensor('float32', new Float32Array((b - a) * 16).fill(1), [b - a, 16]),
  };
  for (const [name, t] of params) feeds[name] = new ort.Tensor('float32', t.data, [...t.shape]);
  const out = await session.run(feeds);
  const c = cnnGolden.cases[0];
  assert.ok(Math.abs((out[IO.loss].data as Float32Array)[0] - c.losses[0]) <= 1e-5 * c.losses[0]);
  for (const [name, g] of Object.entries(c.grads_step0)) {
    if (NOISE_ONLY.includes(name)) {
      const ours = out[gradOutput(name)].data as Float32Array;
      assert.ok(
        [...ours, ...g.data].every((v) => Math.abs(v) < 1e-5),
        `${name}: ${[...ours]} vs ${g.data}`,
      );
      continue;
    }
    const err = scaledError(out[gradOutput(name)].data as Float32Array, g.data);
    assert.ok(err <= 1e-4, `${name}: max |Δ| / max |g| = ${err.toExponential(2)}`);
  }
});

for (const c of cnnGolden.cases)
  test(`ONNX engine trains the CNN like PyTorch: ${c.optimizer} ${JSON.stringify(c.options)}`, async () => {
    const engine = await createOnnxEngine({
      spec: cnnSpec,
      loss: 'nll',
      optimizer: cnnOptimizer(c.optimizer, c.options),
      parameters: toTensors(cnnGolden.init_seeds['0']),
    });
    try {
      const losses = await engine.trainSteps(cnnBatches(c.lr));
      const lossErr = worstRelative(losses, c.losses, 0);
      assert.ok(lossErr <= 1e-5, `losses ${Array.from(losses).join(', ')} vs torch ${c.losses.join(', ')}`);
      const params = await engine.getParameters();
      for (const [name, t] of Object.entries(c.final_state)) {
        if (c.optimizer === 'adam' && NOISE_UNDER_ADAM.includes(name)) continue;
        const err = scaledError(params.get(name)!.data, t.data);
        assert.ok(err <= 1e-4, `${name}: max |Δ| / max |w| = ${err.toExponential(2)}`);
      }
      const evaluation = await engine.evaluate(cnnImages, cnnLabels, cnnLabels.length);
      const expected = Float32Array.from(cnnGolden.labels, (y, i) => -c.eval_output[i * 10 + y]);
      const evalErr = worstRelative(evaluation.losses, expected, 1e-6);
      // Adam: the noise-driven biases above shift eval-mode outputs by ~1e-3 relative.
      assert.ok(evalErr <= (c.optimizer === 'adam' ? 2e-3 : 1e-4), `eval-mode per-sample losses: ${evalErr}`);
    } finally {
      await engine.dispose();
    }
  });
