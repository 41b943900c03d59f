// The generated training, evaluation and gradient graphs are standard ONNX (onnx.checker,
// full_check), and the unrolled training graph computes what the Loop graph computes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildTrainingModel, IO, maskInput, nextOutput } from '../../src/core/onnx/training.js';
import { buildEvaluationModel, buildGradientModel } from '../../src/core/onnx/eval-models.js';
import { optimizerScalars } from '../../src/core/onnx/optimizer.js';
import { initParameters } from '../../src/core/model/init.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import { OPTIMIZER_DEFAULTS, type OptimizerOptions } from '../../src/core/train/hyperparameters.js';
import { goldenImages, goldenLabels } from './tfjs-fixtures.js';

const spec: ModelSpec = {
  hidden: [
    { units: 8, activation: 'tanh', dropout: 0.3 },
    { units: 6, activation: 'leaky_relu', dropout: 0 },
  ],
  finalActivation: 'sigmoid',
  logSoftmax: true,
};
const OPTIMIZERS: OptimizerOptions[] = [
  { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9 },
  { ...OPTIMIZER_DEFAULTS.adam, amsgrad: true, weightDecay: 0.1 },
  { ...OPTIMIZER_DEFAULTS.rmsprop, centered: true, momentum: 0.5 },
];

const python = '/usr/bin/python3';
const hasOnnx = existsSync(python) && spawnSync(python, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;

test('onnx.checker accepts the training (Loop and unrolled), evaluation and gradient models', {
  skip: hasOnnx ? false : 'python3 with the onnx package is not installed',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'onnx-training-'));
  try {
    const models: [string, Uint8Array][] = [
      ...OPTIMIZERS.map((o): [string, Uint8Array] => [`train-${o.kind}`, buildTrainingModel(spec, 'nll', o).bytes]),
      ['train-unrolled', buildTrainingModel(spec, 'mse', OPTIMIZER_DEFAULTS.sgd, { unroll: 3 }).bytes],
      ['evaluate', buildEvaluationModel(spec, 'cross_entropy')],
      ['gradients', buildGradientModel(spec, 'mse')],
    ];
    for (const [name, bytes] of models) {
      const file = join(dir, `${name}.onnx`);
      writeFileSync(file, bytes);
      const r = spawnSync(
        python,
        ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', file],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const optimizer of OPTIMIZERS)
  test(`unrolled and Loop training graphs agree (${optimizer.kind})`, async () => {
    const K = 3;
    const N = 9;
    const feeds: Record<string, ort.Tensor> = {};
    const loop = buildTrainingModel(spec, 'nll', optimizer);
    feeds[IO.images] = new ort.Tensor('uint8', goldenImages.slice(0, K * N * 784), [K, N, 784]);
    feeds[IO.labels] = new ort.Tensor('uint8', goldenLabels.slice(0, K * N), [K, N]);
    feeds[IO.stepScalars] = new ort.Tensor(
      'float32',
      Float32Array.from([0, 1, 2].flatMap((s) => optimizerScalars(optimizer, s, 0.01))),
      [K, loop.scalarNames.length],
    );
    for (const d of loop.dropouts)
      feeds[maskInput(d.index)] = new ort.Tensor(
        'float32',
        Float32Array.from({ length: K * N * d.units }, (_, i) => (i % 4 === 0 ? 0 : 1 / (1 - d.p))),
        [K, N, d.units],
      );
    for (const [name, t] of initParameters(spec, 2)) feeds[name] = new ort.Tensor('float32', t.data, [...t.shape]);
    for (const s of loop.state)
      feeds[s.key] = new ort.Tensor('float32', new Float32Array(s.shape.reduce((a, b) => a * b, 1)), [...s.shape]);
    const a = await (await ort.InferenceSession.create(loop.bytes)).run(feeds);
    const b = await (
      await ort.InferenceSession.create(buildTrainingModel(spec, 'nll', optimizer, { unroll: K }).bytes)
    ).run(feeds);
    assert.deepEqual(a[IO.losses].dims, [K]);
    assert.ok((a[IO.losses].data as Float32Array).every(Number.isFinite));
    for (const name of [
      IO.losses,
      ...loop.parameters.map((p) => nextOutput(p.name)),
      ...loop.state.map((s) => nextOutput(s.key)),
    ]) {
      const x = a[name].data as Float32Array;
      const y = b[name].data as Float32Array;
      for (let i = 0; i < x.length; i++)
        assert.ok(Math.abs(x[i] - y[i]) <= 1e-6 * (1 + Math.abs(y[i])), `${name}[${i}]: ${x[i]} vs ${y[i]}`);
    }
  });
