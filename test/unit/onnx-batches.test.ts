// How the onnx engine cuts work into native runs: evaluation runs hold at most ~8 Mi floats per
// layer output (2048 images for the MLPs, fewer for CNNs with wide early layers: the 32-channel
// CNN's test pass once took the process past 1.2 GB); training steps go in Loop runs of equal length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalChunkFor, runEnd } from '../../src/engines/onnx/batches.js';
import { layerListSpec, PRESETS } from '../../src/core/model/spec.js';
import { parseLayers } from '../../src/core/model/parse-layers.js';

const layers = (text: string) => layerListSpec(parseLayers(text));

test('evalChunkFor: 2048 images for the MLP presets, fewer as the largest layer output grows', () => {
  assert.equal(evalChunkFor(PRESETS.seed), 2048);
  assert.equal(evalChunkFor(PRESETS.recommended), 2048);
  // cnn: Conv2d(16) on 28×28 → 12,544 values per image.
  assert.equal(evalChunkFor(PRESETS.cnn), Math.floor(2 ** 23 / (16 * 28 * 28)));
  const wide = layers('Conv2d(32,3,padding=1) BatchNorm2d ReLU MaxPool2d(2) Flatten Linear(10)');
  assert.equal(evalChunkFor(wide), Math.floor(2 ** 23 / (32 * 28 * 28)));
  assert.ok(evalChunkFor(wide) * 32 * 28 * 28 <= 2 ** 23);
});

test('evalChunkFor: never below 64 images, however wide the layer', () => {
  assert.equal(evalChunkFor(layers('Conv2d(1024,3,padding=1) Flatten Linear(10)')), 64);
});

test('Loop runs: batches of one size split into runs of equal length at most the cap', () => {
  const sizes = (counts: number[], cap: number) => {
    const batches = counts.map((count) => ({ count }));
    const runs: number[] = [];
    for (let start = 0; start < batches.length; ) {
      const end = runEnd(batches, start, cap);
      runs.push(end - start);
      start = end;
    }
    return runs;
  };
  assert.deepEqual(sizes(Array(16).fill(128), 5), [4, 4, 4, 4]);
  assert.deepEqual(sizes(Array(16).fill(128), 32), [16]);
  assert.deepEqual(sizes(Array(16).fill(128), 1), Array(16).fill(1));
  assert.deepEqual(sizes(Array(7).fill(64), 3), [3, 2, 2]);
  // A short last batch of the epoch runs on its own.
  assert.deepEqual(sizes([...Array(6).fill(128), 96], 4), [3, 3, 1]);
  assert.deepEqual(sizes([128], 0), [1]);
});
