// Differential tests: the ONNX engine's hand-built backward graph against TF.js's automatic
// differentiation (the optimizer × loss × activation matrix with TF.js differentiating every op;
// the other cases with the tfjs engine as shipped). Every optimizer × loss × activation on a small model (784 → 24 → 10),
// 20 steps on both engines from the same weights and batches: per-step losses and the final
// weights must agree to 1e-4 relative (‖Δ‖/‖w‖ per tensor; see compare() for single weights).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../src/engines/index.js';
import { createTfjsEngine } from '../../src/engines/tfjs-engine.js';
import { initParameters } from '../../src/core/model/init.js';
import { ACTIVATIONS, type Activation, type ModelSpec } from '../../src/core/model/spec.js';
import type { Engine, EngineName, EngineOptions, TrainBatch } from '../../src/core/train/engine.js';
import {
  LOSSES,
  OPTIMIZER_DEFAULTS,
  type LossName,
  type OptimizerOptions,
} from '../../src/core/train/hyperparameters.js';
import { goldenImages, goldenLabels, l2Relative, scaledError, worstRelative } from './tfjs-fixtures.js';

const STEPS = 20;
const BATCH = 16;
const TOLERANCE = 1e-4;

const OPTIMIZERS: Record<string, OptimizerOptions> = {
  'sgd momentum nesterov wd': { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
  'adam amsgrad wd': { ...OPTIMIZER_DEFAULTS.adam, beta1: 0.85, amsgrad: true, weightDecay: 0.01 },
  'rmsprop centered momentum': {
    ...OPTIMIZER_DEFAULTS.rmsprop,
    alpha: 0.9,
    momentum: 0.5,
    centered: true,
    weightDecay: 0.001,
  },
};
const LEARNING_RATE: Record<OptimizerOptions['kind'], number> = {
  sgd: 0.05,
  adam: 0.003,
  rmsprop: 0.002,
  adamw: 0.003,
};

/** 20 batches of 16 real images cycling through the fixture's 58 (so some batches are partial). */
function batches(kind: OptimizerOptions['kind']): TrainBatch[] {
  const out: TrainBatch[] = [];
  let a = 0;
  for (let s = 0; s < STEPS; s++) {
    const b = Math.min(a + BATCH, 58);
    // A learning rate that moves between steps, as schedules do.
    const learningRate = LEARNING_RATE[kind] * (1 - s / (2 * STEPS));
    out.push({
      images: goldenImages.subarray(a * 784, b * 784),
      labels: goldenLabels.subarray(a, b),
      count: b - a,
      learningRate,
      dropoutSeed: 77 + s,
    });
    a = b === 58 ? 0 : b;
  }
  return out;
}

interface Run {
  losses: Float32Array;
  params: Awaited<ReturnType<Engine['getParameters']>>;
  state: Awaited<ReturnType<Engine['getOptimizerState']>>;
}

/** `tfjs-autodiff`: TF.js differentiating every op itself (tf.matMul's gradient too): nothing in
 *  its backward pass is written by this project, the strictest check of the ONNX engine's. */
async function runOn(name: EngineName | 'tfjs-autodiff', options: EngineOptions, work: TrainBatch[]): Promise<Run> {
  const engine =
    name === 'tfjs-autodiff'
      ? await createTfjsEngine(options, { pureAutodiff: true })
      : await createEngine(name, options);
  try {
    // Two calls, so state carried between trainSteps calls is part of the comparison.
    const first = await engine.trainSteps(work.slice(0, 7));
    const rest = await engine.trainSteps(work.slice(7));
    const losses = new Float32Array([...first, ...rest]);
    return { losses, params: await engine.getParameters(), state: await engine.getOptimizerState() };
  } finally {
    await engine.dispose();
  }
}

function compare(onnx: Run, tfjs: Run): void {
  const lossErr = worstRelative(onnx.losses, tfjs.losses, 0);
  assert.ok(
    lossErr <= TOLERANCE,
    `losses differ by ${lossErr.toExponential(2)} relative:\n onnx ${[...onnx.losses].join(', ')}\n tfjs ${[...tfjs.losses].join(', ')}`,
  );
  assert.deepEqual([...onnx.params.keys()], [...tfjs.params.keys()]);
  for (const [name, t] of tfjs.params) {
    const a = onnx.params.get(name)!.data;
    const rel = l2Relative(a, t.data);
    const worst = scaledError(a, t.data);
    assert.ok(rel <= TOLERANCE, `${name}: ‖Δ‖ / ‖w‖ = ${rel.toExponential(2)}`);
    // A single weight may move by up to a step's size more: adaptive optimizers (Adam, RMSprop)
    // turn a float-noise gradient (e.g. grad + weight_decay·w cancelling to 1e-9) into a step
    // of about lr·g/(|g| + eps), whose value then differs between any two float32 engines.
    assert.ok(worst <= 30 * TOLERANCE, `${name}: max |Δ| / max |w| = ${worst.toExponential(2)}`);
  }
  assert.equal(onnx.state.step, tfjs.state.step);
}

const activations = ACTIVATIONS.filter((a): a is Exclude<Activation, 'none'> => a !== 'none');

for (const [label, optimizer] of Object.entries(OPTIMIZERS))
  for (const loss of LOSSES as readonly LossName[])
    for (const activation of activations)
      test(`onnx = tfjs over ${STEPS} steps: ${label}, ${loss}, ${activation}`, async () => {
        const spec: ModelSpec = {
          hidden: [{ units: 24, activation, dropout: 0 }],
          finalActivation: 'none',
          logSoftmax: loss === 'nll',
        };
        const options: EngineOptions = { spec, loss, optimizer, parameters: initParameters(spec, 11) };
        const work = batches(optimizer.kind);
        compare(await runOn('onnx', options, work), await runOn('tfjs-autodiff', options, work));
      });

test(`onnx = tfjs: two hidden layers, 'none' activation, a final activation (seed-like)`, async () => {
  const spec: ModelSpec = {
    hidden: [
      { units: 20, activation: 'none', dropout: 0 },
      { units: 12, activation: 'leaky_relu', dropout: 0 },
    ],
    finalActivation: 'sigmoid',
    logSoftmax: false,
  };
  for (const loss of ['cross_entropy', 'mse'] as const) {
    const options: EngineOptions = {
      spec,
      loss,
      optimizer: { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9, dampening: 0.1 },
      parameters: initParameters(spec, 5),
    };
    const work = batches('sgd');
    compare(await runOn('onnx', options, work), await runOn('tfjs', options, work));
  }
});

test('onnx = tfjs with dropout: the same masks from the same dropout seeds', async () => {
  const spec: ModelSpec = {
    hidden: [
      { units: 24, activation: 'relu', dropout: 0.3 },
      { units: 12, activation: 'tanh', dropout: 0.1 },
    ],
    finalActivation: 'none',
    logSoftmax: false,
  };
  const options: EngineOptions = {
    spec,
    loss: 'cross_entropy',
    optimizer: OPTIMIZER_DEFAULTS.adam,
    parameters: initParameters(spec, 9),
  };
  const work = batches('adam');
  compare(await runOn('onnx', options, work), await runOn('tfjs', options, work));
});

for (const [label, optimizer] of Object.entries(OPTIMIZERS))
  test(`a run moves between engines mid-way: parameters + optimizer state (${label})`, async () => {
    const spec: ModelSpec = {
      hidden: [{ units: 24, activation: 'relu', dropout: 0 }],
      finalActivation: 'none',
      logSoftmax: false,
    };
    const options: EngineOptions = { spec, loss: 'cross_entropy', optimizer, parameters: initParameters(spec, 21) };
    const work = batches(optimizer.kind);
    for (const [from, to] of [
      ['onnx', 'tfjs'],
      ['tfjs', 'onnx'],
    ] as const) {
      const straight = await runOn(to, options, work);
      const first = await createEngine(from, options);
      const half = await first.trainSteps(work.slice(0, 10));
      const state = await first.getOptimizerState();
      const parameters = await first.getParameters();
      await first.dispose();
      const second = await createEngine(to, { ...options, parameters });
      try {
        await second.setOptimizerState(state);
        const rest = await second.trainSteps(work.slice(10));
        compare(
          {
            losses: new Float32Array([...half, ...rest]),
            params: await second.getParameters(),
            state: await second.getOptimizerState(),
          },
          straight,
        );
      } finally {
        await second.dispose();
      }
    }
  });

test('onnx = tfjs: evaluate and predict agree after training', async () => {
  const spec: ModelSpec = {
    hidden: [{ units: 24, activation: 'tanh', dropout: 0 }],
    finalActivation: 'none',
    logSoftmax: false,
  };
  const options: EngineOptions = {
    spec,
    loss: 'cross_entropy',
    optimizer: OPTIMIZER_DEFAULTS.adam,
    parameters: initParameters(spec, 4),
  };
  const work = batches('adam');
  const engines = await Promise.all([createEngine('onnx', options), createEngine('tfjs', options)]);
  try {
    for (const e of engines) await e.trainSteps(work);
    const [a, b] = await Promise.all(engines.map((e) => e.evaluate(goldenImages, goldenLabels, 58)));
    assert.ok(worstRelative(a.losses, b.losses, 1e-6) <= TOLERANCE);
    assert.deepEqual([...a.predictions], [...b.predictions]);
    const [pa, pb] = await Promise.all(engines.map((e) => e.predict(goldenImages, 58)));
    assert.ok(scaledError(pa, pb) <= TOLERANCE);
  } finally {
    for (const e of engines) await e.dispose();
  }
});
