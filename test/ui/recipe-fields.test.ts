// The Hyperparameters step's recipe fields: listed where they apply, ←/→ and typed values set the
// hyperparameters the CLI flags set, and "off" values leave them as the seed program's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hyperparameterFields, type HpForm } from '../../src/ui/fields.js';
import { SEED_HYPERPARAMETERS, validateHyperparameters } from '../../src/core/train/hyperparameters.js';

const form: HpForm = { hyperparameters: SEED_HYPERPARAMETERS, engine: 'onnx' };
const field = (f: HpForm, id: string) => {
  const found = hyperparameterFields(f).find((x) => x.id === id);
  assert.ok(found, `field ${id} is listed`);
  return found;
};

test('the recipe fields are listed where they apply', () => {
  const ids = (f: HpForm) => hyperparameterFields(f).map((x) => x.id);
  for (const id of ['schedule.warmupSteps', 'labelSmoothing', 'augment', 'validation', 'earlyStop.patience'])
    assert.ok(ids(form).includes(id), id);
  assert.ok(!ids(form).includes('earlyStop.monitor'), 'monitor only with early stopping');
  const onecycle = { ...form, hyperparameters: { ...SEED_HYPERPARAMETERS, schedule: { kind: 'onecycle' as const } } };
  assert.ok(!ids(onecycle).includes('schedule.warmupSteps'), 'one-cycle warms up itself');
  const mse = { ...form, hyperparameters: { ...SEED_HYPERPARAMETERS, loss: 'mse' as const } };
  assert.ok(!ids(mse).includes('labelSmoothing'), 'label smoothing is for cross_entropy');
});

test('stepping and typing set the same hyperparameters as the flags; 0 / none / off remove them', () => {
  let f = field(form, 'labelSmoothing').step(form, 1);
  assert.equal(f.hyperparameters.labelSmoothing, 0.05);
  f = field(f, 'labelSmoothing').parse(f, '0');
  assert.ok(!('labelSmoothing' in f.hyperparameters));
  f = field(f, 'augment').parse(f, 'flip,crop:2,erase');
  assert.deepEqual(f.hyperparameters.augment, { flip: true, crop: 2, erase: true });
  assert.equal(field(f, 'augment').show(f), 'crop:2,flip,erase');
  f = field(f, 'augment').parse(f, 'none');
  assert.ok(!('augment' in f.hyperparameters));
  f = field(f, 'validation').parse(f, '5000');
  f = field(f, 'earlyStop.patience').parse(f, '3');
  assert.deepEqual(f.hyperparameters.earlyStop, { patience: 3, monitor: 'loss' });
  f = field(f, 'earlyStop.monitor').step(f, 1);
  assert.deepEqual(f.hyperparameters.earlyStop, { patience: 3, monitor: 'accuracy' });
  f = field(f, 'schedule.warmupSteps').step(f, 1);
  assert.deepEqual(f.hyperparameters.schedule, { kind: 'constant', warmupSteps: 100 });
  validateHyperparameters(f.hyperparameters);
  f = field(f, 'earlyStop.patience').parse(f, 'off');
  f = field(f, 'validation').step(f, -1);
  assert.equal(f.hyperparameters.validation, 1000);
  f = field(f, 'validation').parse(f, '0');
  f = field(f, 'schedule.warmupSteps').parse(f, '0');
  assert.deepEqual(f.hyperparameters, SEED_HYPERPARAMETERS);
  assert.throws(() => field(f, 'augment').parse(f, 'rotate'), /unknown item 'rotate'/);
  assert.throws(() => field(f, 'validation').parse(f, '-5'), /validation must be a whole number of at least 0/);
});
