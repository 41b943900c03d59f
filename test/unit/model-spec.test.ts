import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PRESETS,
  parameterInfo,
  parameterCount,
  validateModelSpec,
  stackModules,
  type ModelSpec,
} from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { learningRateAt } from '../../src/core/train/schedule.js';

test('seed preset has the seed state_dict names and shapes', () => {
  assert.deepEqual(
    parameterInfo(PRESETS.seed).map((p) => [p.name, p.shape]),
    [
      ['linear_relu_stack.0.weight', [512, 784]],
      ['linear_relu_stack.0.bias', [512]],
      ['linear_relu_stack.2.weight', [512, 512]],
      ['linear_relu_stack.2.bias', [512]],
      ['linear_relu_stack.4.weight', [10, 512]],
      ['linear_relu_stack.4.bias', [10]],
    ],
  );
  assert.equal(parameterCount(PRESETS.seed), 669706);
  assert.equal(stackModules(PRESETS.seed).at(-1)?.kind, 'activation');
  assert.equal(stackModules(PRESETS.recommended).at(-1)?.kind, 'linear');
});

test('dropout and "none" activations shift Sequential indices like PyTorch', () => {
  const spec: ModelSpec = {
    hidden: [
      { units: 32, activation: 'tanh', dropout: 0.2 },
      { units: 16, activation: 'none', dropout: 0 },
    ],
    finalActivation: 'none',
    logSoftmax: true,
  };
  assert.deepEqual(
    parameterInfo(spec).map((p) => p.name),
    [
      'linear_relu_stack.0.weight',
      'linear_relu_stack.0.bias',
      'linear_relu_stack.3.weight',
      'linear_relu_stack.3.bias',
      'linear_relu_stack.4.weight',
      'linear_relu_stack.4.bias',
    ],
  );
});

test('invalid specs are refused with a reason', () => {
  const cases: [ModelSpec, RegExp][] = [
    [{ ...PRESETS.seed, hidden: [{ units: 0, activation: 'relu', dropout: 0 }] }, /size must be a whole number/],
    [{ ...PRESETS.seed, hidden: [{ units: 8, activation: 'gelu' as never, dropout: 0 }] }, /unknown activation 'gelu'/],
    [{ ...PRESETS.seed, hidden: [{ units: 8, activation: 'relu', dropout: 1 }] }, /dropout must be/],
    [{ ...PRESETS.seed, finalActivation: 'softmax' as never }, /unknown final activation/],
  ];
  for (const [spec, message] of cases) assert.throws(() => validateModelSpec(spec), message);
});

test('init is bit-identical to torch.manual_seed(0); NeuralNetwork() (PyTorch 1.13, the seed model)', async () => {
  const { readWeights } = await import('../../src/io/safetensors.js');
  const torch = await readWeights(
    new URL('../fixtures/seed-torch-init.safetensors', import.meta.url).pathname,
    PRESETS.seed,
  );
  const ours = initParameters(PRESETS.seed, 0);
  for (const [name, t] of torch.parameters) {
    const mine = ours.get(name)!.data;
    let mismatches = 0;
    for (let i = 0; i < mine.length; i++) if (mine[i] !== t.data[i]) mismatches++;
    assert.equal(mismatches, 0, `${name}: ${mismatches} of ${mine.length} values differ from PyTorch's`);
  }
});

test('MT19937 gives the reference stream (std::mt19937 seeded 5489: 10,000th output 4123659995)', async () => {
  const { Mt19937 } = await import('../../src/core/random.js');
  const g = new Mt19937(5489);
  let x = 0;
  for (let i = 0; i < 10000; i++) x = g.nextUint32();
  assert.equal(x, 4123659995);
});

test('init is seeded and within PyTorch nn.Linear bounds', () => {
  const a = initParameters(PRESETS.seed, 7);
  const b = initParameters(PRESETS.seed, 7);
  const c = initParameters(PRESETS.seed, 8);
  const w = a.get('linear_relu_stack.0.weight')!.data;
  assert.deepEqual(w, b.get('linear_relu_stack.0.weight')!.data);
  assert.notDeepEqual(w.slice(0, 10), c.get('linear_relu_stack.0.weight')!.data.slice(0, 10));
  const bound = 1 / Math.sqrt(784);
  let max = 0;
  for (const x of w) max = Math.max(max, Math.abs(x));
  assert.ok(max <= bound && max > bound * 0.99, `max |w| ${max} vs bound ${bound}`);
});

test('schedules match torch StepLR(2, 0.5) and CosineAnnealingLR(T_max=6)', () => {
  const step = [0, 1, 2, 3, 4, 5].map((s) => learningRateAt({ kind: 'step', stepSize: 2, gamma: 0.5 }, 0.1, s, 6));
  assert.deepEqual(step, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  const cos = [0, 1, 2, 3, 4, 5].map((s) => learningRateAt({ kind: 'cosine', tMax: 0, etaMin: 0 }, 0.1, s, 6));
  const torch = [0.1, 0.09330127018922195, 0.07500000000000001, 0.05, 0.025000000000000012, 0.006698729810778065];
  cos.forEach((v, i) => assert.ok(Math.abs(v - torch[i]) < 1e-12, `step ${i}: ${v} vs ${torch[i]}`));
});
