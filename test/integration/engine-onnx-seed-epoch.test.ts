// The seed experiment itself against PyTorch: from the seed's own initial weights
// (torch.manual_seed(0), test/fixtures/seed-torch-init.safetensors), one epoch of the full
// training set (SGD lr 1e-3, batch 64, no shuffle, 938 steps, the last one of 32 images) must
// give PyTorch's loss at every step and its test_loop result
// (test/fixtures/seed-torch-epoch1.json). Needs the full dataset; skips without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createOnnxEngine } from '../../src/engines/onnx-engine.js';
import { loadDataset } from '../../src/io/data/load.js';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import { PRESETS } from '../../src/core/model/spec.js';
import { batchAt } from '../../src/core/train/batches.js';
import { OPTIMIZER_DEFAULTS, stepsPerEpoch } from '../../src/core/train/hyperparameters.js';
import { emptyTally, finishTally, tallyChunk } from '../../src/core/train/metrics.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const torch: { losses: number[]; test_accuracy: number; test_loss: number } = JSON.parse(
  readFileSync(fixture('seed-torch-epoch1.json'), 'utf8'),
);

const data = await loadDataset({ download: false }).catch(() => undefined);
const full = data !== undefined && data.train.count === 60000 && data.test.count === 10000;

test("the seed's first epoch gives PyTorch's loss at every step and its test result", {
  skip: full ? false : 'the full Fashion-MNIST dataset is not available here',
}, async () => {
  const { train, test: testSplit } = data!;
  const init = decodeSafetensors(
    new Uint8Array(readFileSync(fixture('seed-torch-init.safetensors'))),
    'seed-torch-init.safetensors',
  ).tensors;
  const engine = await createOnnxEngine({
    spec: PRESETS.seed,
    loss: 'cross_entropy',
    optimizer: OPTIMIZER_DEFAULTS.sgd,
    parameters: init,
  });
  try {
    const steps = stepsPerEpoch(train.count, 64);
    assert.equal(steps, torch.losses.length);
    const losses: number[] = [];
    for (let s = 0; s < steps; s += 16) {
      const group = Array.from({ length: Math.min(16, steps - s) }, (_, i) => ({
        ...batchAt(train, 64, s + i),
        learningRate: 1e-3,
        dropoutSeed: s + i,
      }));
      losses.push(...(await engine.trainSteps(group)));
    }
    let worst = 0;
    for (let i = 0; i < steps; i++) worst = Math.max(worst, Math.abs(losses[i] - torch.losses[i]) / torch.losses[i]);
    assert.ok(worst <= 1e-5, `worst per-step relative loss difference ${worst.toExponential(2)}`);
    const tally = emptyTally();
    const result = await engine.evaluate(testSplit.images, testSplit.labels, testSplit.count);
    tallyChunk(tally, result.losses, result.predictions, testSplit.labels, testSplit.count, 64);
    const { testLoss, testAccuracy } = finishTally(tally);
    assert.ok(
      Math.abs(testLoss - torch.test_loss) <= 1e-5 * torch.test_loss,
      `test loss ${testLoss} vs ${torch.test_loss}`,
    );
    assert.ok(
      Math.abs(testAccuracy - torch.test_accuracy) <= 2e-4,
      `test accuracy ${testAccuracy} vs ${torch.test_accuracy}`,
    );
    console.log(
      `# seed epoch 1: worst per-step loss difference vs PyTorch ${worst.toExponential(2)}; ` +
        `test loss ${testLoss} vs ${torch.test_loss}; accuracy ${testAccuracy} vs ${torch.test_accuracy}`,
    );
  } finally {
    await engine.dispose();
  }
});
