import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { buildInferenceModel } from '../../src/core/onnx/inference.js';
import { PRESETS, type ModelSpec } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { referenceLogits } from '../../src/core/verify/reference-forward.js';
import { UserError } from '../../src/core/errors.js';

const { onnx } = onnxProto;

const SPECS: Record<string, ModelSpec> = {
  seed: PRESETS.seed,
  recommended: PRESETS.recommended,
  'tanh + dropout + log_softmax': {
    hidden: [
      { units: 7, activation: 'tanh', dropout: 0.5 },
      { units: 5, activation: 'leaky_relu', dropout: 0 },
    ],
    finalActivation: 'sigmoid',
    logSoftmax: true,
  },
};

function images(count: number): Uint8Array {
  return Uint8Array.from({ length: count * 784 }, (_, i) => (i * 37 + (i >> 5)) % 256);
}

for (const [label, spec] of Object.entries(SPECS)) {
  test(`inference model (${label}) runs in onnxruntime and matches the reference forward pass (eval mode)`, async () => {
    const params = initParameters(spec, 3);
    const bytes = buildInferenceModel(spec, params);
    const session = await ort.InferenceSession.create(bytes);
    for (const count of [1, 5]) {
      const u = images(count);
      const x = Float32Array.from(u, (v) => v / 255);
      const out = await session.run({ input: new ort.Tensor('float32', x, [count, 1, 28, 28]) });
      assert.deepEqual(out.logits.dims, [count, 10]);
      const ref = referenceLogits(spec, params, u, count);
      const got = out.logits.data as Float32Array;
      for (let i = 0; i < ref.length; i++)
        assert.ok(Math.abs(got[i] - ref[i]) <= 1e-5 + 1e-5 * Math.abs(ref[i]), `logit ${i}: ${got[i]} vs ${ref[i]}`);
    }
    await session.release();
  });
}

test('inference model metadata: opset 17, IR 8, producer, doc strings, metadata_props, state_dict initializers, symbolic batch', () => {
  const params = initParameters(PRESETS.seed, 0);
  const bytes = buildInferenceModel(PRESETS.seed, params, {
    metadata: { run: 'abc', accuracy: '0.6' },
    producerVersion: '1.2.3',
    docString: 'hello',
  });
  const m = onnx.ModelProto.decode(bytes);
  assert.equal(Number(m.irVersion), 8);
  assert.equal(Number(m.opsetImport[0].version), 17);
  assert.equal(m.producerName, 'fmnist-tui');
  assert.equal(m.producerVersion, '1.2.3');
  assert.equal(m.docString, 'hello');
  assert.deepEqual(
    m.metadataProps.map((p) => [p.key, p.value]),
    [
      ['run', 'abc'],
      ['accuracy', '0.6'],
    ],
  );
  const g = m.graph as onnxProto.onnx.GraphProto;
  assert.deepEqual(
    g.initializer.map((t) => t.name),
    [
      'linear_relu_stack.0.weight',
      'linear_relu_stack.0.bias',
      'linear_relu_stack.2.weight',
      'linear_relu_stack.2.bias',
      'linear_relu_stack.4.weight',
      'linear_relu_stack.4.bias',
    ],
  );
  assert.deepEqual(g.initializer[0].dims!.map(Number), [512, 784]);
  assert.equal(g.input[0].name, 'input');
  assert.equal(g.input[0].type!.tensorType!.shape!.dim![0].dimParam, 'batch');
  assert.equal(g.output[0].name, 'logits');
  assert.ok(g.input[0].docString && g.output[0].docString);
});

test('a missing or mis-shaped parameter is refused in one line', () => {
  const params = initParameters(PRESETS.seed, 0);
  params.delete('linear_relu_stack.2.bias');
  assert.throws(
    () => buildInferenceModel(PRESETS.seed, params),
    (e: unknown) => e instanceof UserError && /'linear_relu_stack\.2\.bias' is missing/.test((e as Error).message),
  );
  const other = initParameters(PRESETS.seed, 0);
  other.set('linear_relu_stack.0.weight', { shape: [4, 784], data: new Float32Array(4 * 784) });
  assert.throws(() => buildInferenceModel(PRESETS.seed, other), /has shape \[4, 784\], this model needs \[512, 784\]/);
});

const python = '/usr/bin/python3';
const hasOnnx = existsSync(python) && spawnSync(python, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;
test('onnx.checker accepts the model (full_check)', {
  skip: hasOnnx ? false : 'python3 with the onnx package is not installed',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'onnx-inference-'));
  try {
    for (const spec of Object.values(SPECS)) {
      const file = join(dir, 'm.onnx');
      writeFileSync(file, buildInferenceModel(spec, initParameters(spec, 1)));
      const r = spawnSync(
        python,
        ['-c', `import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)`, file],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
