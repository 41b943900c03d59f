// model.py in a run folder: PyTorch (python3 + torch, skipped without) loads the saved weights
// through it strictly and computes the same logits; torch.manual_seed(N); NeuralNetwork() gives
// the weights --seed N starts from. (The safetensors file is read by hand in the script: the
// safetensors Python package is not installed here.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initParameters } from '../../src/core/model/init.js';
import { pytorchSource } from '../../src/core/model/pytorch.js';
import { PRESETS, type ModelSpec } from '../../src/core/model/spec.js';
import { referenceLogits } from '../../src/core/verify/reference-forward.js';
import { writeWeights } from '../../src/io/safetensors.js';
import { cnnGolden, cnnImages, cnnSpec, toTensors } from './cnn-fixtures.js';
import type { NamedTensors } from '../../src/core/tensors.js';

const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
const noTorch = torch.status === 0 ? false : 'python3 with torch is not installed';

async function pytorchLogits(spec: ModelSpec, params: NamedTensors, seed?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-modelpy-'));
  writeFileSync(join(dir, 'model.py'), pytorchSource(spec));
  await writeWeights(join(dir, 'model.safetensors'), params, spec);
  writeFileSync(join(dir, 'images.u8'), cnnImages);
  const args = [
    'scripts/check-model-py.py',
    dir,
    join(dir, 'images.u8'),
    '16',
    ...(seed === undefined ? [] : [`${seed}`]),
  ];
  const r = spawnSync('/usr/bin/python3', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { logits: number[]; init_equal?: boolean };
}

const cases: [string, ModelSpec, NamedTensors][] = [
  ['a trained CNN with every layer kind', cnnSpec, toTensors(cnnGolden.cases[0].final_state)],
  ['the cnn preset from --seed 5', PRESETS.cnn, initParameters(PRESETS.cnn, 5)],
  ['the seed MLP from --seed 5', PRESETS.seed, initParameters(PRESETS.seed, 5)],
];
for (const [name, spec, params] of cases)
  test(`PyTorch loads model.py + model.safetensors strictly: ${name}`, { skip: noTorch }, async () => {
    const seed = name.includes('--seed 5') ? 5 : undefined;
    const out = await pytorchLogits(spec, params, seed);
    const ours = referenceLogits(spec, params, cnnImages, 16);
    out.logits.forEach((v, i) => assert.ok(Math.abs(v - ours[i]) <= 1e-4 + 1e-4 * Math.abs(v), `logit ${i}`));
    if (seed !== undefined) assert.equal(out.init_equal, true, 'torch.manual_seed(5); NeuralNetwork() = --seed 5');
  });
