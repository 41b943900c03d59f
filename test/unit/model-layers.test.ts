import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLayers, type LayerSpec } from '../../src/core/model/layers.js';
import { parseLayers, parseLayersFlag } from '../../src/core/model/parse-layers.js';
import {
  layerListSpec,
  multiplyAddsPerSample,
  parameterCount,
  parameterInfo,
  stackModules,
  validateModelSpec,
} from '../../src/core/model/spec.js';
import { layerModules } from '../../src/core/model/modules.js';

const EXAMPLE =
  'Conv2d(32,3,padding=1) BatchNorm2d ReLU MaxPool2d(2) Conv2d(64,3,padding=1) ReLU MaxPool2d(2) Flatten Dropout(0.25) Linear(128) ReLU Linear(10)';

test('parseLayers reads the issue example with PyTorch defaults', () => {
  const layers = parseLayers(EXAMPLE);
  assert.equal(layers.length, 12);
  assert.deepEqual(layers[0], { type: 'Conv2d', outChannels: 32, kernelSize: 3, stride: 1, padding: 1 });
  assert.deepEqual(layers[3], { type: 'MaxPool2d', kernelSize: 2, stride: 2 });
  assert.deepEqual(layers[8], { type: 'Dropout', p: 0.25 });
  assert.deepEqual(layers[11], { type: 'Linear', outFeatures: 10 });
  assert.equal(formatLayers(layers), EXAMPLE);
});

test('parseLayers: arguments by position or name, any letter case, defaults', () => {
  const cases: [string, LayerSpec][] = [
    ['Conv2d(8,5,2,1)', { type: 'Conv2d', outChannels: 8, kernelSize: 5, stride: 2, padding: 1 }],
    ['conv2d(8, kernel_size=5, stride=2)', { type: 'Conv2d', outChannels: 8, kernelSize: 5, stride: 2, padding: 0 }],
    ['AvgPool2d(3,stride=1)', { type: 'AvgPool2d', kernelSize: 3, stride: 1 }],
    ['Dropout', { type: 'Dropout', p: 0.5 }],
    ['leakyrelu', { type: 'LeakyReLU' }],
    ['BatchNorm1d()', { type: 'BatchNorm1d' }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseLayers(text)[0], expected, text);
});

test('formatLayers leaves defaults out and round-trips', () => {
  for (const text of [
    'Conv2d(8,5,stride=2)',
    'Conv2d(8,5,padding=2)',
    'MaxPool2d(3,stride=1)',
    'Dropout',
    'Dropout(0.1)',
    EXAMPLE,
  ])
    assert.equal(formatLayers(parseLayers(text)), text);
});

test('bad layer strings: one reason naming the layer, a caret under it, exit 2', () => {
  const cases: [string, RegExp, string][] = [
    ['Conv2d(8,3) Conv3d ReLU', /layer 2 \(Conv3d\): 'Conv3d' is not a layer/, '              ^^^^^^'],
    ['Conv2d(8,3 ReLU', /layer 1 .*unbalanced parenthesis/, '  ^^^^^^^^^^^^^^^'],
    ['Flatten Linear(10))', /layer 2 .*unbalanced parenthesis/, '          ^^^^^^^^^^^'],
    ['Conv2d(8) Flatten Linear(10)', /Conv2d needs out_channels and kernel_size/, '  ^^^^^^^^^'],
    ['Flatten Linear(0)', /out_features must be a whole number from 1 to 8192 \(got 0\)/, '          ^^^^^^^^^'],
    ['Flatten Linear(x)', /out_features must be a number \(got 'x'\)/, '          ^^^^^^^^^'],
    ['Flatten Dropout(1) Linear(10)', /p must be at least 0 and below 1/, '          ^^^^^^^^^^'],
    ['Flatten ReLU(3) Linear(10)', /ReLU takes no arguments/, '          ^^^^^^^'],
    ['Conv2d(8,3,groups=2)', /Conv2d has no argument 'groups'/, '  ^^^^^^^^^^^^^^^^^^^^'],
    ['', /no layers given/, ''],
  ];
  for (const [text, reason, caret] of cases) {
    assert.throws(
      () => parseLayersFlag('--layers', text, (l) => layerModules(l)),
      (err: Error & { exitCode?: number }) => {
        assert.match(err.message.split('\n')[0], reason, text);
        if (caret) assert.equal(err.message.split('\n')[2], caret, text);
        assert.equal(err.exitCode, 2);
        return true;
      },
    );
  }
});

test('shape errors name the layer: Conv2d after Flatten, nothing left, Linear on an image, not 10 outputs', () => {
  const cases: [string, number, RegExp][] = [
    ['Flatten Conv2d(8,3) Linear(10)', 1, /Conv2d needs an image input \[C, H, W\], it gets \[784\]/],
    ['MaxPool2d(4) Conv2d(8,9) Flatten Linear(10)', 1, /a 9×9 window does not fit its 7×7 input/],
    ['MaxPool2d(4) MaxPool2d(4) MaxPool2d(4) Flatten Linear(10)', 2, /does not fit its 1×1 input/],
    ['Conv2d(8,3) Linear(10)', 1, /Linear needs a flat input.*put Flatten before it/],
    ['Conv2d(8,3) BatchNorm1d Flatten Linear(10)', 1, /use BatchNorm2d on images/],
    ['Flatten Linear(12)', 1, /must end with 10 outputs.*gives \[12\]/],
    ['Conv2d(10,3)', 0, /must end with 10 outputs.*gives \[10, 26, 26\]/],
  ];
  for (const [text, layer, reason] of cases)
    assert.throws(
      () => layerModules(parseLayers(text)),
      (err: Error & { layer?: number }) => {
        assert.equal(err.layer, layer, text);
        assert.match(err.message, reason, text);
        return true;
      },
    );
});

test('the example: shapes, state_dict names, parameters and multiply-adds as PyTorch/torchinfo count them', () => {
  const spec = layerListSpec(parseLayers(EXAMPLE));
  validateModelSpec(spec);
  assert.deepEqual(
    stackModules(spec).map((m) => m.outShape),
    [
      [32, 28, 28],
      [32, 28, 28],
      [32, 28, 28],
      [32, 14, 14],
      [64, 14, 14],
      [64, 14, 14],
      [64, 7, 7],
      [3136],
      [3136],
      [128],
      [128],
      [10],
    ],
  );
  assert.deepEqual(
    parameterInfo(spec).map((p) => [p.name, p.shape]),
    [
      ['layers.0.weight', [32, 1, 3, 3]],
      ['layers.0.bias', [32]],
      ['layers.1.weight', [32]],
      ['layers.1.bias', [32]],
      ['layers.1.running_mean', [32]],
      ['layers.1.running_var', [32]],
      ['layers.1.num_batches_tracked', []],
      ['layers.4.weight', [64, 32, 3, 3]],
      ['layers.4.bias', [64]],
      ['layers.9.weight', [128, 3136]],
      ['layers.9.bias', [128]],
      ['layers.11.weight', [10, 128]],
      ['layers.11.bias', [10]],
    ],
  );
  // sum(p.numel() for p in model.parameters()) in PyTorch: 320 + 64 + 18,496 + 401,536 + 1,290.
  assert.equal(parameterCount(spec), 421706);
  // torchinfo: 32·9·784 + 64·32·9·196 + 3136·128 + 1280.
  assert.equal(multiplyAddsPerSample(spec), 225792 + 3612672 + 401408 + 1280);
});

test('validateModelSpec refuses a bad layer list read from a file, naming the layer', () => {
  assert.throws(
    () => validateModelSpec(layerListSpec([{ type: 'Flatten' }, { type: 'Linear', outFeatures: 7 }])),
    /model: layer 2 \(Linear\(7\)\): the model must end with 10 outputs/,
  );
  assert.throws(
    () => validateModelSpec(layerListSpec([{ type: 'Conv2d', outChannels: 0, kernelSize: 3, stride: 1, padding: 0 }])),
    /model: layer 1 .*out_channels must be a whole number from 1 to 1024 \(got 0\)/,
  );
  assert.throws(() => validateModelSpec(layerListSpec([{ type: 'Nope' } as never])), /'Nope' is not a layer/);
});
