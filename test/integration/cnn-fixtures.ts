// The CNN golden vectors (test/fixtures/cnn-torch-steps.json, made by scripts/cnn-torch-golden.py
// with PyTorch 1.13): a small CNN with every layer kind, its init for three seeds and a few steps.
import { readFileSync } from 'node:fs';
import { parseLayers } from '../../src/core/model/parse-layers.js';
import { layerListSpec, type ModelSpec } from '../../src/core/model/spec.js';
import type { NamedTensors } from '../../src/core/tensors.js';
import type { TrainBatch } from '../../src/core/train/engine.js';

type JsonTensors = Record<string, { shape: number[]; data: number[] }>;
export interface CnnCase {
  optimizer: 'sgd' | 'adam';
  options: Record<string, number>;
  lr: number;
  losses: number[];
  grads_step0: JsonTensors;
  final_state: JsonTensors;
  eval_output: number[];
}
export const cnnGolden: {
  layers: string;
  images: number[];
  labels: number[];
  batches: [number, number][];
  init_seeds: Record<string, JsonTensors>;
  cases: CnnCase[];
} = JSON.parse(readFileSync(new URL('../fixtures/cnn-torch-steps.json', import.meta.url), 'utf8'));

export const cnnSpec: ModelSpec = layerListSpec(parseLayers(cnnGolden.layers));
export const cnnImages = Uint8Array.from(cnnGolden.images);
export const cnnLabels = Uint8Array.from(cnnGolden.labels);

export function toTensors(json: JsonTensors): NamedTensors {
  return new Map(Object.entries(json).map(([k, t]) => [k, { shape: t.shape, data: Float32Array.from(t.data) }]));
}

export function cnnBatches(lr: number): TrainBatch[] {
  return cnnGolden.batches.map(([a, b], i) => ({
    images: cnnImages.subarray(a * 784, b * 784),
    labels: cnnLabels.subarray(a, b),
    count: b - a,
    learningRate: lr,
    dropoutSeed: i,
  }));
}
