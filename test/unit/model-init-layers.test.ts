import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initParameters } from '../../src/core/model/init.js';
import { parameterInfo } from '../../src/core/model/spec.js';
import { cnnGolden, cnnSpec, toTensors } from '../integration/cnn-fixtures.js';

test('initParameters equals torch.manual_seed(N); NeuralNetwork() bit for bit, for every layer kind', () => {
  for (const [seed, expected] of Object.entries(cnnGolden.init_seeds)) {
    const ours = initParameters(cnnSpec, Number(seed));
    assert.deepEqual([...ours.keys()], Object.keys(expected), 'state_dict order');
    for (const [name, t] of toTensors(expected)) {
      const got = ours.get(name)!;
      assert.deepEqual(got.shape, t.shape, name);
      assert.deepEqual(got.data, t.data, `seed ${seed}: ${name}`);
    }
  }
  assert.deepEqual(
    parameterInfo(cnnSpec)
      .filter((p) => p.buffer)
      .map((p) => p.name)
      .slice(0, 3),
    ['layers.1.running_mean', 'layers.1.running_var', 'layers.1.num_batches_tracked'],
  );
});
