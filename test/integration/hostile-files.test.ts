// HARDEN items 2, 11, 12 and 20 (image size): files that are too large, special files, and
// targets that are not regular files each give one line, at once, and nothing is replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/core/errors.js';
import { readCheckpoint } from '../../src/io/checkpoint.js';
import { loadImageForModel } from '../../src/io/images.js';
import { readModelFile } from '../../src/io/model-file.js';
import { exportOnnx } from '../../src/io/onnx-export.js';
import { openOnnxModel } from '../../src/io/onnx-model.js';
import { readWeights } from '../../src/io/safetensors.js';
import { runState } from './run-fixture.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'fmnist-hostile-'));
const oneLine = (pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof UserError, String(err));
  assert.equal(err.message.split('\n').length, 1);
  assert.match(err.message, pattern);
  return true;
};

test('item 2: a 2 GB / 10 GB model file or a 3 GB image is refused by size before it is read', async () => {
  const dir = fresh();
  for (const [name, size] of [
    ['w.safetensors', 2 ** 31],
    ['big.safetensors', 10e9],
  ] as const) {
    const path = join(dir, name);
    writeFileSync(path, '');
    await truncate(path, size); // sparse: no disk used
    const shown = size >= 1e10 ? '10.0 GB' : '2.1 GB';
    const expected = new RegExp(`${name} is ${shown}; fmnist-tui reads model files up to 1\\.0 GB`);
    await assert.rejects(readModelFile(path), oneLine(expected));
    await assert.rejects(readWeights(path), oneLine(expected));
    await assert.rejects(readCheckpoint(path), oneLine(expected));
    await assert.rejects(openOnnxModel(path), oneLine(expected));
  }
  const photo = join(dir, 'photo.png');
  writeFileSync(photo, '');
  await truncate(photo, 3e9);
  await assert.rejects(
    loadImageForModel(photo),
    oneLine(/photo\.png is 3\.0 GB; fmnist-tui reads image files up to 100 MB/),
  );
});

test('item 12: a FIFO given as a model, checkpoint, ONNX file or image is refused without blocking', async () => {
  const dir = fresh();
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const expected = /pipe: it is a named pipe \(FIFO\), not a regular file/;
  await assert.rejects(readModelFile(fifo), oneLine(expected));
  await assert.rejects(readCheckpoint(fifo), oneLine(expected));
  await assert.rejects(openOnnxModel(fifo), oneLine(expected));
  await assert.rejects(loadImageForModel(fifo), oneLine(expected));
});

test('item 20: a 50000×50000 PNG is "too large", not "not an image"', async () => {
  const path = join(fresh(), 'huge.png');
  execFileSync('/usr/bin/python3', [join(import.meta.dirname, '../../scripts/make-huge-png.py'), path]);
  await assert.rejects(
    loadImageForModel(path),
    oneLine(/huge\.png is too large: 50000×50000 pixels; predict reads images up to 100 megapixels/),
  );
});

test('item 11: export onto a device node, a FIFO or a symlink is refused even with force; nothing is replaced', async () => {
  const run = await runState();
  const dir = fresh();
  const target = join(dir, 'real.onnx');
  writeFileSync(target, 'keep me');
  const link = join(dir, 'link.onnx');
  symlinkSync(target, link);
  const fifo = join(dir, 'pipe.onnx');
  execFileSync('mkfifo', [fifo]);
  for (const [path, kind] of [
    ['/dev/null', 'a device'],
    [link, 'a symbolic link'],
    [fifo, 'a named pipe \\(FIFO\\)'],
    [dir, 'a folder'],
  ] as const)
    await assert.rejects(
      exportOnnx(path, run.spec, run.parameters, { force: true }),
      oneLine(new RegExp(`cannot write .*: it is ${kind}; write to a regular file or a new path`)),
    );
  assert.ok(lstatSync('/dev/null').isCharacterDevice());
  assert.equal(readlinkSync(link), target);
  assert.ok(lstatSync(fifo).isFIFO());
});

test('item 18: NaN/∞ weights are refused on export and on load, naming the tensor', async () => {
  const run = await runState();
  const dir = fresh();
  const bad = new Map(
    [...run.parameters].map(([k, t]) => [k, { shape: [...t.shape], data: Float32Array.from(t.data) }]),
  );
  bad.get('linear_relu_stack.0.bias')!.data[3] = Number.POSITIVE_INFINITY;
  await assert.rejects(
    exportOnnx(join(dir, 'm.onnx'), run.spec, bad),
    oneLine(/the weights to export: tensor 'linear_relu_stack\.0\.bias' holds Infinity \(at index 3\)/),
  );
  const { writeWeights } = await import('../../src/io/safetensors.js');
  await writeWeights(join(dir, 'w.safetensors'), bad, run.spec);
  await assert.rejects(
    readModelFile(join(dir, 'w.safetensors')),
    oneLine(/holds Infinity \(at index 3\); weights must be finite/),
  );
  await assert.rejects(readWeights(join(dir, 'w.safetensors')), oneLine(/holds Infinity/));
});
