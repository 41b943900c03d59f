import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/core/errors.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { cloneTensors } from '../../src/core/tensors.js';
import { referenceLogits } from '../../src/core/verify/reference-forward.js';
import { loadDataset } from '../../src/io/data/load.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';
import { openOnnxModel } from '../../src/io/onnx-model.js';
import { formatVerifyReport, verifyExport } from '../../src/io/verify.js';
import { tinyOnnx } from './verify-fixture.js';

const spec: ModelSpec = {
  hidden: [{ units: 32, activation: 'relu', dropout: 0 }],
  finalActivation: 'none',
  logSoftmax: false,
};
const tmp = () => mkdtempSync(join(tmpdir(), 'fmnist-verify-'));
const params = initParameters(spec, 3);

test('verifyExport passes a faithful model and reports every run', async () => {
  const dir = tmp();
  const onnxPath = join(dir, 'model.onnx');
  writeFileSync(onnxPath, tinyOnnx(spec, params, { class_names: '[]' }));
  const { test: split } = await loadDataset({ dataDir: embeddedDataDir() });
  const stages = new Set<string>();
  const report = await verifyExport({
    onnxPath,
    reference: async (images, count) => referenceLogits(spec, params, images, count),
    test: split,
    batchSize: 128,
    batchOneCount: 50,
    onProgress: (stage) => stages.add(stage),
  });
  assert.equal(report.verdict, 'PASS', formatVerifyReport(report));
  assert.equal(report.testImages, split.count);
  assert.equal(report.batched.count, split.count);
  assert.equal(report.batched.batchSize, 128);
  assert.equal(report.batchOne.count, 50);
  assert.equal(report.batchOne.batchSize, 1);
  assert.equal(report.largeBatch.batchSize, split.count);
  assert.equal(report.batched.argmaxAgreements, split.count);
  assert.ok(report.batched.maxAbsDiff < 1e-4, String(report.batched.maxAbsDiff));
  assert.equal(report.referenceAccuracy, report.exportAccuracy);
  assert.deepEqual([...stages].sort(), ['batch-1', 'batched', 'large-batch', 'reference']);
  assert.equal(report.model.irVersion, 8);
  assert.equal(report.model.opsetVersion, 17);
  const text = formatVerifyReport(report);
  assert.match(text, /PASS$/);
  assert.match(text, /batch size 1 \(50 images\):/);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(report)));
});

test('verifyExport fails a model whose weights differ, naming disagreeing images', async () => {
  const dir = tmp();
  const onnxPath = join(dir, 'model.onnx');
  const other = cloneTensors(params);
  const b = other.get('linear_relu_stack.2.bias')!.data;
  b[3] += 0.5;
  writeFileSync(onnxPath, tinyOnnx(spec, other));
  const { test: split } = await loadDataset({ dataDir: embeddedDataDir() });
  const report = await verifyExport({
    onnxPath,
    reference: async (images, count) => referenceLogits(spec, params, images, count),
    test: split,
    batchOneCount: 10,
  });
  assert.equal(report.verdict, 'FAIL');
  assert.ok(Math.abs(report.batched.maxAbsDiff - 0.5) < 1e-5);
  assert.equal(report.batched.outsideTolerance, split.count, 'one logit per image is off');
  assert.match(formatVerifyReport(report), /MISMATCH[\s\S]*FAIL$/);
});

test('files that are not fmnist-tui ONNX models give one clear line', async (t) => {
  const dir = tmp();
  const write = (name: string, bytes: Uint8Array | string) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const good = tinyOnnx(spec, params);
  const renamed = Buffer.from(good);
  // Rename the output 'logits' → 'logitz' (same length keeps the protobuf valid).
  const at = renamed.lastIndexOf(Buffer.from('logits'));
  renamed.write('logitz', at);
  const cases: [string, string, RegExp][] = [
    ['missing', join(dir, 'none.onnx'), /cannot read .*none\.onnx: no such file or directory/],
    ['text', write('notes.onnx', 'hello, I am not a model'), /notes\.onnx is not an ONNX model/],
    [
      'safetensors',
      write('w.onnx', Buffer.concat([Buffer.from([16, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"a":1}        ')])),
      /w\.onnx is not an ONNX model/,
    ],
    ['truncated', write('cut.onnx', good.subarray(0, Math.floor(good.length / 2))), /cut\.onnx is not an ONNX model/],
    [
      'other outputs',
      write('other.onnx', renamed),
      /other\.onnx is not (an fmnist-tui model: it needs input 'input' and output 'logits'|a model onnxruntime can load)/,
    ],
  ];
  for (const [name, path, pattern] of cases)
    await t.test(name, () =>
      assert.rejects(openOnnxModel(path), (err: unknown) => {
        assert.ok(err instanceof UserError, String(err));
        assert.equal(err.message.split('\n').length, 1);
        assert.match(err.message, pattern);
        return true;
      }),
    );
});
