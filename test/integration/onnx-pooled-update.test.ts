// Adam, AdamW and RMSprop update the small parameters in one chain over their concatenation
// (src/core/onnx/pooled-update.ts): the training model must give the same bits as with one
// chain per parameter — losses, parameters and every optimizer buffer, from non-zero buffers
// (a join or split in the wrong order would move them) — in fewer nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { onnx } from '../../src/core/onnx/builder.js';
import { optimizerScalars } from '../../src/core/onnx/optimizer.js';
import { pooledParameters } from '../../src/core/onnx/pooled-update.js';
import { buildTrainingModel, IO, nextOutput, type TrainingModelOptions } from '../../src/core/onnx/training.js';
import { initParameters } from '../../src/core/model/init.js';
import { parameterInfo, type ModelSpec } from '../../src/core/model/spec.js';
import { OPTIMIZER_DEFAULTS, type OptimizerOptions } from '../../src/core/train/hyperparameters.js';
import { goldenImages, goldenLabels } from './tfjs-fixtures.js';

// Large enough for one weight (24·784) to stay out of a pool of at most 2,000 elements.
const spec: ModelSpec = {
  hidden: [
    { units: 24, activation: 'relu', dropout: 0 },
    { units: 12, activation: 'tanh', dropout: 0 },
  ],
  finalActivation: 'none',
  logSoftmax: false,
};
const OPTIMIZERS: [string, OptimizerOptions, boolean][] = [
  ['adam amsgrad weight decay', { ...OPTIMIZER_DEFAULTS.adam, amsgrad: true, weightDecay: 0.1 }, false],
  ['adamw, one-cycle β1', OPTIMIZER_DEFAULTS.adamw, true],
  ['rmsprop centered momentum', { ...OPTIMIZER_DEFAULTS.rmsprop, centered: true, momentum: 0.5 }, false],
];
const K = 3;
const N = 16;

async function run(o: OptimizerOptions, options: TrainingModelOptions) {
  const m = buildTrainingModel(spec, 'cross_entropy', o, options);
  const cycle = options.cycleMomentum ?? false;
  const feeds: Record<string, ort.Tensor> = {
    [IO.images]: new ort.Tensor('uint8', goldenImages.slice(0, K * N * 784), [K, N, 784]),
    [IO.labels]: new ort.Tensor('uint8', goldenLabels.slice(0, K * N), [K, N]),
    [IO.stepScalars]: new ort.Tensor(
      'float32',
      Float32Array.from([0, 1, 2].flatMap((s) => optimizerScalars(o, s + 4, 0.01, cycle, 0.85 + 0.02 * s))),
      [K, m.scalarNames.length],
    ),
  };
  for (const [name, t] of initParameters(spec, 3)) feeds[name] = new ort.Tensor('float32', t.data, [...t.shape]);
  m.state.forEach((s, k) => {
    const data = Float32Array.from({ length: s.shape.reduce((a, b) => a * b, 1) }, (_, i) => 1e-4 * (1 + k + (i % 7)));
    feeds[s.key] = new ort.Tensor('float32', data, [...s.shape]);
  });
  const session = await ort.InferenceSession.create(m.bytes);
  const out = await session.run(feeds);
  await session.release();
  const body = onnx.ModelProto.decode(m.bytes).graph!.node!.find((n) => n.opType === 'Loop')!.attribute![0].g!;
  return { m, out, bodyNodes: body.node!.length };
}

for (const [label, o, cycle] of OPTIMIZERS)
  test(`pooled small parameters give the per-parameter update's bits (${label})`, async () => {
    const pooled = await run(o, { cycleMomentum: cycle, poolMaxElements: 2000 });
    const single = await run(o, { cycleMomentum: cycle, poolMaxElements: 0 });
    const members = pooledParameters(o, parameterInfo(spec), 2000);
    assert.equal(members.length, parameterInfo(spec).length - 1, 'every parameter but the first weight is pooled');
    assert.deepEqual(
      pooled.m.state.map((s) => s.key),
      single.m.state.map((s) => s.key),
    );
    const names = [
      IO.losses,
      ...pooled.m.parameters.map((p) => nextOutput(p.name)),
      ...pooled.m.state.map((s) => nextOutput(s.key)),
    ];
    for (const name of names) {
      assert.deepEqual(pooled.out[name].dims, single.out[name].dims, name);
      assert.deepEqual(pooled.out[name].data, single.out[name].data, name);
    }
    assert.ok(
      pooled.bodyNodes < single.bodyNodes - 20,
      `${pooled.bodyNodes} nodes per step pooled, ${single.bodyNodes} per parameter`,
    );
  });

test('SGD keeps one update per parameter (its update folds into the weight gradient)', () => {
  assert.deepEqual(pooledParameters(OPTIMIZER_DEFAULTS.sgd, parameterInfo(spec), 2000), []);
});
