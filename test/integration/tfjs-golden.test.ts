// The TF.js engine against PyTorch's own numbers (test/fixtures/torch-optim-steps.json):
// 17 optimizer / loss / activation / schedule cases, 6 steps each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTfjsEngine } from '../../src/engines/tfjs-engine.js';
import { loadTfjs } from '../../src/engines/tfjs/load.js';
import { batchLoss, forward, oneHotLabels, pixelsToFloat, transposeData } from '../../src/engines/tfjs/model.js';
import { stackModules } from '../../src/core/model/spec.js';
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

test('golden fixture has the 17 cases the engines are held to', () => {
  assert.equal(golden.cases.length, 17);
  assert.deepEqual(golden.batches.at(3), [48, 58]);
});

for (const c of golden.cases) {
  test(`matches PyTorch step by step: ${caseName(c)}`, async () => {
    const engine = await createTfjsEngine({
      spec: goldenSpec(c),
      loss: c.loss,
      optimizer: optimizerFromTorch(c.optimizer, c.options),
      parameters: goldenParameters(),
    });
    try {
      // One call per step, as the train loop does when the learning rate changes between steps.
      const losses: number[] = [];
      for (const b of goldenBatches(c)) losses.push(...(await engine.trainSteps([b])));
      const lossErr = worstRelative(losses, c.losses, 0);
      assert.ok(
        lossErr <= 1e-5,
        `losses ${losses.join(', ')} vs torch ${c.losses.join(', ')}: relative error ${lossErr.toExponential(2)}`,
      );
      const params = await engine.getParameters();
      for (const [name, want] of Object.entries(c.final_weights)) {
        // Typically 1e-7 of the weights' scale; Adam on near-zero gradients (mse + sigmoid) up to 2e-4.
        const err = scaledError(params.get(name)!.data, want);
        assert.ok(err <= 5e-4, `${name}: max |Δ| / max |w| = ${err.toExponential(2)}`);
      }
      assert.equal((await engine.getOptimizerState()).step, c.losses.length);
    } finally {
      await engine.dispose();
    }
  });
}

test("TF.js autodiff gives PyTorch's first-step gradients for every loss and activation", async () => {
  const { tf } = await loadTfjs();
  const seen = new Set<string>();
  for (const c of golden.cases) {
    const key = `${c.loss}/${c.activation}/${c.final_activation}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const spec = goldenSpec(c);
    const params = goldenParameters();
    const [a, b] = golden.batches[0];
    tf.tidy(() => {
      // Weights enter as kernels [in, out], the engine's layout; their gradients are transposed back.
      const vars = new Map(
        [...params].map(([name, t]) => {
          const kernel = t.shape.length === 2;
          const data = kernel ? transposeData(t.data, t.shape[0], t.shape[1]) : t.data;
          return [name, tf.variable(tf.tensor(data, kernel ? [t.shape[1], t.shape[0]] : [...t.shape]))];
        }),
      );
      const layers = new Map<
        number,
        { kernel: import('@tensorflow/tfjs-core').Tensor2D; bias: import('@tensorflow/tfjs-core').Tensor }
      >();
      for (const m of stackModules(spec))
        if (m.kind === 'linear')
          layers.set(m.index, {
            kernel: vars.get(`linear_relu_stack.${m.index}.weight`) as never,
            bias: vars.get(`linear_relu_stack.${m.index}.bias`)!,
          });
      const x = tf.tensor2d(pixelsToFloat(goldenImages, a, b - a), [b - a, 784]);
      const y = oneHotLabels(tf, goldenLabels, a, b - a);
      const { grads } = tf.variableGrads(
        () => batchLoss(tf, c.loss, forward(tf, stackModules(spec), layers, x), y),
        [...vars.values()],
      );
      for (const [name, v] of vars) {
        const g = grads[v.name].dataSync() as Float32Array;
        const got = v.shape.length === 2 ? transposeData(g, v.shape[0], v.shape[1]) : g;
        const err = scaledError(got, c.grads_step0[name]);
        assert.ok(err <= 1e-5, `${key} d/d${name}: max |Δ| / max |g| = ${err.toExponential(2)}`);
      }
      for (const v of vars.values()) v.dispose();
    });
  }
  assert.equal(seen.size, 8);
});
