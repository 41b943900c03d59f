// AdamW, one-cycle (with its momentum / beta1 cycling) and warm-up against PyTorch
// (test/fixtures/torch-recipe-steps.json): both engines, fed the learning rate and momentum of
// every step from our own schedule code, give torch's per-step losses and final weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOnnxEngine } from '../../src/engines/onnx-engine.js';
import { createTfjsEngine } from '../../src/engines/tfjs-engine.js';
import type { EngineFactory, TrainBatch } from '../../src/core/train/engine.js';
import type { Schedule } from '../../src/core/train/hyperparameters.js';
import { learningRateAt, momentumAt } from '../../src/core/train/schedule.js';
import {
  goldenBatches,
  goldenParameters,
  goldenSpec,
  optimizerFromTorch,
  scaledError,
  worstRelative,
  type GoldenCase,
} from './tfjs-fixtures.js';
import { recipe, recipeName, type RecipeCase } from './recipe-fixtures.js';

function scheduleOf(c: RecipeCase): Schedule {
  const s = c.schedule;
  if (!s) return { kind: 'constant' };
  if (s.kind === 'onecycle') return { kind: 'onecycle' };
  if (s.kind === 'cosine') return { kind: 'cosine', tMax: 0, etaMin: 0, warmupSteps: s.warmup };
  if (s.kind === 'step') return { kind: 'step', stepSize: s.step_size!, gamma: s.gamma!, warmupSteps: s.warmup };
  return { kind: 'constant', warmupSteps: s.warmup };
}

/** The fixture's batches with the learning rate and momentum our schedule gives each step. */
function batches(c: RecipeCase): TrainBatch[] {
  const schedule = scheduleOf(c);
  const base = c.options.lr as number;
  return goldenBatches(c as unknown as GoldenCase).map((b, i, all) => {
    const momentum = momentumAt(schedule, i, all.length);
    return {
      ...b,
      learningRate: learningRateAt(schedule, base, i, all.length),
      ...(momentum !== undefined && { momentum }),
    };
  });
}

const cases = recipe.cases.filter((c) => c.optimizer === 'adamw' || c.schedule);
test('the fixture has 2 AdamW cases and 7 schedule cases', () => {
  assert.equal(cases.length, 9);
});

const engines: [string, EngineFactory][] = [
  ['onnx', createOnnxEngine],
  ['tfjs', createTfjsEngine],
];
for (const [engineName, create] of engines)
  for (const c of cases)
    test(`${engineName} engine matches PyTorch step by step: ${recipeName(c)}`, async () => {
      const engine = await create({
        spec: goldenSpec(c as unknown as GoldenCase),
        loss: 'cross_entropy',
        labelSmoothing: c.label_smoothing,
        optimizer: optimizerFromTorch(c.optimizer, c.options),
        cycleMomentum: c.schedule?.kind === 'onecycle',
        parameters: goldenParameters(),
      });
      try {
        const losses: number[] = [];
        for (const b of batches(c)) losses.push(...(await engine.trainSteps([b])));
        const lossErr = worstRelative(losses, c.losses, 0);
        assert.ok(lossErr <= 1e-5, `losses ${losses.join(', ')} vs torch ${c.losses.join(', ')}`);
        // SGD's weights agree to ~1e-6 of their scale; Adam's on float-noise gradients of blank pixels less.
        const tolerance = c.optimizer === 'sgd' ? 5e-5 : 2e-3;
        const params = await engine.getParameters();
        for (const [name, expected] of Object.entries(c.final_weights)) {
          const err = scaledError(params.get(name)!.data, expected);
          assert.ok(err <= tolerance, `${name}: max |Δ| / max |w| = ${err.toExponential(2)}`);
        }
      } finally {
        await engine.dispose();
      }
    });
