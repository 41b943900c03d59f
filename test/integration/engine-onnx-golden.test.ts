// The ONNX engine against PyTorch's own numbers (test/fixtures/torch-optim-steps.json, copied
// from the shared golden vectors): same initial weights and batches → the same per-step losses
// (≤ 1e-5 relative), first-step gradients and final weights, for all 17 cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { createOnnxEngine } from '../../src/engines/onnx-engine.js';
import { gradOutput, IO } from '../../src/core/onnx/training.js';
import { buildGradientModel } from '../../src/core/onnx/eval-models.js';
import {
  caseName,
  golden,
  goldenBatches,
  goldenImages,
  goldenLabels,
  goldenParameters,
  goldenSpec,
  optimizerFromTorch,
  scaledError,
  worstRelative,
} from './tfjs-fixtures.js';

test('golden fixture has the 17 cases the engine is held to', () => {
  assert.equal(golden.cases.length, 17);
  assert.deepEqual(golden.batches.at(3), [48, 58]);
});

let worstLoss = 0;
for (const c of golden.cases) {
  test(`ONNX engine matches PyTorch step by step: ${caseName(c)}`, async () => {
    const engine = await createOnnxEngine({
      spec: goldenSpec(c),
      loss: c.loss,
      optimizer: optimizerFromTorch(c.optimizer, c.options),
      parameters: goldenParameters(),
    });
    try {
      // All six steps in one call: the engine splits them into Loop runs of equal batch size (16, 16, 16 | 10 | 16, 16).
      const losses = await engine.trainSteps(goldenBatches(c));
      const lossErr = worstRelative(losses, c.losses, 0);
      worstLoss = Math.max(worstLoss, lossErr);
      assert.ok(
        lossErr <= 1e-5,
        `losses ${Array.from(losses).join(', ')} vs torch ${c.losses.join(', ')}: relative error ${lossErr.toExponential(2)}`,
      );
      // Adam and RMSprop divide by the gradient's running scale, so first-layer weights whose
      // gradients are float noise (pixels that are almost always 0) move by noise-sized steps
      // of ~lr: those few elements differ by up to ~1e-2·lr; SGD's weights agree to 5e-5.
      const tolerance = c.optimizer === 'sgd' ? 5e-5 : 2e-3;
      const params = await engine.getParameters();
      for (const [name, expected] of Object.entries(c.final_weights)) {
        const err = scaledError(params.get(name)!.data, expected);
        assert.ok(err <= tolerance, `${name}: max |Δ| / max |w| = ${err.toExponential(2)}`);
      }
      assert.equal((await engine.getOptimizerState()).step, c.losses.length);
    } finally {
      await engine.dispose();
    }
  });
}

test("the gradient graph gives PyTorch's first-step gradients for every case", async () => {
  const [a, b] = golden.batches[0];
  for (const c of golden.cases) {
    const spec = goldenSpec(c);
    const session = await ort.InferenceSession.create(buildGradientModel(spec, c.loss));
    const feeds: Record<string, ort.Tensor> = {
      [IO.images]: new ort.Tensor('uint8', goldenImages.slice(a * 784, b * 784), [b - a, 784]),
      [IO.labels]: new ort.Tensor('uint8', goldenLabels.slice(a, b), [b - a]),
    };
    for (const [name, t] of goldenParameters()) feeds[name] = new ort.Tensor('float32', t.data, [...t.shape]);
    const out = await session.run(feeds);
    assert.ok(
      worstRelative([out[IO.loss].data[0] as number], [c.losses[0]], 0) <= 1e-6,
      `${caseName(c)}: loss ${out[IO.loss].data[0]} vs ${c.losses[0]}`,
    );
    for (const [name, expected] of Object.entries(c.grads_step0)) {
      const err = scaledError(out[gradOutput(name)].data as Float32Array, expected);
      assert.ok(err <= 1e-5, `${caseName(c)} d/d${name}: max |Δ| / max |g| = ${err.toExponential(2)}`);
    }
    await session.release();
  }
});

test('worst per-step loss difference over the 17 cases', () => {
  console.log(`# max relative loss difference vs PyTorch: ${worstLoss.toExponential(2)}`);
  assert.ok(worstLoss <= 1e-5);
});
