import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASS_NAMES } from '../../src/core/dataset/types.js';
import { UserError } from '../../src/core/errors.js';
import { PRESETS, type ModelSpec } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { referenceLogits } from '../../src/core/verify/reference-forward.js';
import { loadDataset } from '../../src/io/data/load.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';
import { exportOnnx } from '../../src/io/onnx-export.js';
import { inspectOnnx } from '../../src/io/onnx-model.js';
import { formatVerifyReport, verifyExport } from '../../src/io/verify.js';
import { cnnSpec } from './cnn-fixtures.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'fmnist-export-'));
const SPECS: Record<string, ModelSpec> = {
  seed: PRESETS.seed,
  'tanh + dropout, leaky_relu, sigmoid, log_softmax': {
    hidden: [
      { units: 48, activation: 'tanh', dropout: 0.3 },
      { units: 24, activation: 'leaky_relu', dropout: 0 },
    ],
    finalActivation: 'sigmoid',
    logSoftmax: true,
  },
  'no hidden layers': { hidden: [], finalActivation: 'none', logSoftmax: false },
  'cnn preset': PRESETS.cnn,
  'a CNN with every layer kind': cnnSpec,
};

const python = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { encoding: 'utf8' });
const noChecker =
  python.status === 0 ? false : 'python3 with the onnx package is not installed (CI installs python3-onnx)';

test('the export carries its interface and metadata, and matches the model on the test images', async (t) => {
  const { test: split } = await loadDataset({ dataDir: embeddedDataDir() });
  for (const [name, spec] of Object.entries(SPECS)) {
    await t.test(name, async () => {
      const dir = tmp();
      const params = initParameters(spec, 9);
      const path = join(dir, 'model.onnx');
      const result = await exportOnnx(path, spec, params, { testAccuracy: 0.87654 });
      assert.equal(result.bytes, readFileSync(path).length);
      const info = inspectOnnx(readFileSync(path), path);
      assert.equal(info.irVersion, 8);
      assert.equal(info.opsetVersion, 17);
      assert.match(info.producer, /^fmnist-tui \d+\.\d+\.\d+/);
      assert.match(
        info.docString,
        /Fashion-MNIST classifier .* Input 'input': float32 \[batch, 1, 28, 28\], pixel \/ 255/,
      );
      assert.deepEqual(JSON.parse(info.metadata.class_names), [...CLASS_NAMES]);
      assert.equal(info.metadata.input_scaling, 'pixel / 255');
      assert.equal(info.metadata.test_accuracy, '0.8765');
      assert.deepEqual(JSON.parse(info.metadata['fmnist_tui.spec']), spec);
      const report = await verifyExport({
        onnxPath: path,
        reference: async (images, count) => referenceLogits(spec, params, images, count),
        test: { images: split.images, labels: split.labels, count: 300 },
        batchSize: 64,
        batchOneCount: 20,
      });
      assert.equal(report.verdict, 'PASS', formatVerifyReport(report));
      assert.deepEqual(readdirSync(dir), ['model.onnx']);
    });
  }
});

test('the export passes the ONNX checker with full shape inference', { skip: noChecker }, async () => {
  const dir = tmp();
  const paths = [];
  for (const [i, spec] of Object.values(SPECS).entries()) {
    const p = join(dir, `m${i}.onnx`);
    await exportOnnx(p, spec, initParameters(spec, 1), { testAccuracy: 0.5 });
    paths.push(p);
  }
  const script = `import onnx, sys
for p in sys.argv[1:]:
    m = onnx.load(p)
    onnx.checker.check_model(m, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(m, strict_mode=True)
    out = inferred.graph.output[0].type.tensor_type.shape.dim
    print(p, m.ir_version, m.opset_import[0].version, [d.dim_param or d.dim_value for d in out])`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...paths], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const line of r.stdout.trim().split('\n')) assert.match(line, / 8 17 \['batch', 10\]$/);
});

test('an existing file is kept without force; bad parameters and paths give one line and leave nothing', async (t) => {
  const dir = tmp();
  const spec = SPECS['no hidden layers'];
  const path = join(dir, 'model.onnx');
  writeFileSync(path, 'precious');
  const rejects = (p: Promise<unknown>, pattern: RegExp) =>
    assert.rejects(p, (err: unknown) => {
      assert.ok(err instanceof UserError, String(err));
      assert.equal(err.message.split('\n').length, 1);
      assert.match(err.message, pattern);
      return true;
    });
  await t.test('existing file', () =>
    rejects(
      exportOnnx(path, spec, initParameters(spec, 1)),
      /model\.onnx already exists \(use --force to replace it\)/,
    ),
  );
  assert.equal(readFileSync(path, 'utf8'), 'precious');
  await t.test('weights of another model', () =>
    rejects(
      exportOnnx(join(dir, 'b.onnx'), spec, initParameters(PRESETS.seed, 1)),
      /does not match the model: tensor 'linear_relu_stack\.0\.weight'|has shape \[512, 784\]/,
    ),
  );
  writeFileSync(join(dir, 'file'), '');
  await t.test('parent is a file', () =>
    rejects(exportOnnx(join(dir, 'file', 'm.onnx'), spec, initParameters(spec, 1)), /cannot (write|create directory)/),
  );
  await exportOnnx(path, spec, initParameters(spec, 1), { force: true });
  assert.equal(inspectOnnx(readFileSync(path), path).irVersion, 8);
  assert.deepEqual(readdirSync(dir).sort(), ['file', 'model.onnx']);
});
