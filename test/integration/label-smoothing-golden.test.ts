// Label smoothing against PyTorch's CrossEntropyLoss(label_smoothing=…): both engines' per-step
// losses and final weights, the gradient graph's first-step gradients and the evaluation graph's
// per-sample losses (test/fixtures/torch-recipe-steps.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { createOnnxEngine } from '../../src/engines/onnx-engine.js';
import { createTfjsEngine } from '../../src/engines/tfjs-engine.js';
import { gradOutput, IO } from '../../src/core/onnx/training.js';
import { buildGradientModel } from '../../src/core/onnx/eval-models.js';
import type { EngineFactory } from '../../src/core/train/engine.js';
import {
  golden,
  goldenBatches,
  goldenImages,
  goldenLabels,
  goldenParameters,
  goldenSpec,
  optimizerFromTorch,
  scaledError,
  worstRelative,
  type GoldenCase,
} from './tfjs-fixtures.js';
import { recipe, recipeName, type RecipeCase } from './recipe-fixtures.js';

const smoothed = recipe.cases.filter((c) => c.label_smoothing && !c.schedule && c.optimizer !== 'adamw');
const asGolden = (c: RecipeCase) => c as unknown as GoldenCase;

test('the fixture has label-smoothing cases with SGD and Adam', () => {
  assert.deepEqual(
    smoothed.map((c) => [c.optimizer, c.label_smoothing]),
    [
      ['sgd', 0.1],
      ['adam', 0.3],
    ],
  );
});

const engines: [string, EngineFactory][] = [
  ['onnx', createOnnxEngine],
  ['tfjs', createTfjsEngine],
];
for (const [engineName, create] of engines)
  for (const c of smoothed) {
    test(`${engineName} engine matches PyTorch with ${recipeName(c)}`, async () => {
      const engine = await create({
        spec: goldenSpec(asGolden(c)),
        loss: 'cross_entropy',
        labelSmoothing: c.label_smoothing,
        optimizer: optimizerFromTorch(c.optimizer as GoldenCase['optimizer'], c.options),
        parameters: goldenParameters(),
      });
      try {
        const losses: number[] = [];
        for (const b of goldenBatches(asGolden(c))) losses.push(...(await engine.trainSteps([b])));
        const lossErr = worstRelative(losses, c.losses, 0);
        assert.ok(lossErr <= 1e-5, `losses ${losses.join(', ')} vs torch ${c.losses.join(', ')}`);
        const params = await engine.getParameters();
        for (const [name, expected] of Object.entries(c.final_weights)) {
          const err = scaledError(params.get(name)!.data, expected);
          assert.ok(
            err <= (c.optimizer === 'sgd' ? 5e-5 : 2e-3),
            `${name}: max |Δ| / max |w| = ${err.toExponential(2)}`,
          );
        }
        // Held-out losses use the same loss_fn (torch's test_loop does): per sample, after training.
        const n = golden.labels.length;
        const ev = await engine.evaluate(goldenImages, goldenLabels, n);
        const evalErr = worstRelative(ev.losses, c.eval_losses!, 1e-6);
        assert.ok(evalErr <= 1e-4, `evaluation losses: relative error ${evalErr.toExponential(2)}`);
      } finally {
        await engine.dispose();
      }
    });
  }

test("the gradient graph with label smoothing gives PyTorch's first-step gradients", async () => {
  const [a, b] = golden.batches[0];
  for (const c of smoothed) {
    const session = await ort.InferenceSession.create(
      buildGradientModel(goldenSpec(asGolden(c)), 'cross_entropy', c.label_smoothing),
    );
    const feeds: Record<string, ort.Tensor> = {
      [IO.images]: new ort.Tensor('uint8', goldenImages.slice(a * 784, b * 784), [b - a, 784]),
      [IO.labels]: new ort.Tensor('uint8', goldenLabels.slice(a, b), [b - a]),
    };
    for (const [name, t] of goldenParameters()) feeds[name] = new ort.Tensor('float32', t.data, [...t.shape]);
    const out = await session.run(feeds);
    const loss = out[IO.loss].data[0] as number;
    assert.ok(worstRelative([loss], [c.losses[0]], 0) <= 1e-6, `${recipeName(c)}: loss ${loss} vs ${c.losses[0]}`);
    for (const [name, expected] of Object.entries(c.grads_step0)) {
      const err = scaledError(out[gradOutput(name)].data as Float32Array, expected);
      assert.ok(err <= 1e-5, `${recipeName(c)} d/d${name}: max |Δ| / max |g| = ${err.toExponential(2)}`);
    }
    await session.release();
  }
});
