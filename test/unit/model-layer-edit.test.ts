// Issue 13 item 10: the layer-list edits the Model step makes, and the report it draws (valid or not).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  insertLayers,
  mlpAsLayers,
  moveLayer,
  NEW_LAYERS,
  newLayer,
  removeLayer,
  replaceLayer,
  stepLayer,
} from '../../src/core/model/layer-edit.js';
import { inspectLayers, problemMessage } from '../../src/core/model/layer-report.js';
import { formatLayer, formatLayers, LAYER_TYPES, type LayerSpec } from '../../src/core/model/layers.js';
import { parseLayers } from '../../src/core/model/parse-layers.js';
import { layerListSpec, parameterCount, PRESETS, validateModelSpec } from '../../src/core/model/spec.js';
import { summarizeModel } from '../../src/core/model/summary.js';

const L = (text: string) => parseLayers(text);
const S = (layers: readonly LayerSpec[]) => formatLayers(layers);

describe('layer-list edits', () => {
  const list = L('Flatten Linear(64) ReLU Linear(10)');
  const cases: [string, () => LayerSpec[] | undefined, string | undefined][] = [
    [
      'insert after the selected layer',
      () => insertLayers(list, 1, [newLayer('Dropout')]),
      'Flatten Linear(64) Dropout(0.25) ReLU Linear(10)',
    ],
    [
      'insert at the top (after -1)',
      () => insertLayers(list, -1, L('Tanh')),
      'Tanh Flatten Linear(64) ReLU Linear(10)',
    ],
    [
      'insert after the last',
      () => insertLayers(list, 3, L('LogSoftmax')),
      'Flatten Linear(64) ReLU Linear(10) LogSoftmax',
    ],
    ['insert several', () => insertLayers([], -1, list), 'Flatten Linear(64) ReLU Linear(10)'],
    ['remove', () => removeLayer(list, 2), 'Flatten Linear(64) Linear(10)'],
    ['replace by one', () => replaceLayer(list, 1, L('Linear(32)')), 'Flatten Linear(32) ReLU Linear(10)'],
    [
      'replace by several',
      () => replaceLayer(list, 2, L('BatchNorm1d ReLU')),
      'Flatten Linear(64) BatchNorm1d ReLU Linear(10)',
    ],
    ['move up', () => moveLayer(list, 2, -1), 'Flatten ReLU Linear(64) Linear(10)'],
    ['move down', () => moveLayer(list, 0, 1), 'Linear(64) Flatten ReLU Linear(10)'],
    ['move the top up: nothing', () => moveLayer(list, 0, -1), undefined],
    ['move the last down: nothing', () => moveLayer(list, 3, 1), undefined],
  ];
  for (const [name, run, want] of cases) it(name, () => assert.equal(run() && S(run()!), want));

  it('an edit returns a new list and leaves the old one as it was', () => {
    const before = S(list);
    removeLayer(list, 0);
    moveLayer(list, 1, 1);
    insertLayers(list, 0, L('ReLU'));
    assert.equal(S(list), before);
  });

  it('every kind has a new layer with sensible arguments, in the order of LAYER_TYPES', () => {
    assert.deepEqual(
      NEW_LAYERS.map((l) => l.type),
      LAYER_TYPES,
    );
    assert.deepEqual(
      ['Conv2d', 'Linear', 'Dropout', 'MaxPool2d', 'AvgPool2d'].map((t) => formatLayer(newLayer(t as never))),
      ['Conv2d(16,3,padding=1)', 'Linear(128)', 'Dropout(0.25)', 'MaxPool2d(2)', 'AvgPool2d(2)'],
    );
  });

  it('←/→ step a layer: double / halve channels and features, grow a window, step p, change an activation', () => {
    const step = (text: string, dir: 1 | -1) => {
      const next = stepLayer(L(text)[0], dir);
      return next && formatLayer(next);
    };
    const cases: [string, 1 | -1, string | undefined][] = [
      ['Conv2d(16,3,padding=1)', 1, 'Conv2d(32,3,padding=1)'],
      ['Conv2d(1,3)', -1, undefined], // at its limit
      ['Conv2d(1024,3)', 1, undefined],
      ['Linear(128)', -1, 'Linear(64)'],
      ['Linear(5)', -1, 'Linear(2)'],
      ['MaxPool2d(2)', 1, 'MaxPool2d(3)'], // the stride follows the window
      ['AvgPool2d(3,stride=1)', -1, 'AvgPool2d(2,stride=1)'],
      ['Dropout(0.25)', 1, 'Dropout(0.3)'],
      ['Dropout(0.25)', -1, 'Dropout(0.2)'],
      ['Dropout(0.33)', 1, 'Dropout(0.4)'],
      ['Dropout(0.9)', 1, undefined],
      ['ReLU', 1, 'Tanh'],
      ['ReLU', -1, 'LeakyReLU'],
      ['Flatten', 1, undefined],
      ['BatchNorm2d', -1, undefined],
    ];
    for (const [text, dir, want] of cases) assert.equal(step(text, dir), want, `${text} ${dir}`);
  });

  it('the MLP presets as layer lists have the same parameters', () => {
    assert.equal(S(mlpAsLayers(PRESETS.seed)), 'Flatten Linear(512) ReLU Linear(512) ReLU Linear(10) ReLU');
    assert.equal(S(mlpAsLayers(PRESETS.recommended)), 'Flatten Linear(512) ReLU Linear(512) ReLU Linear(10)');
    const mlp = {
      hidden: [{ units: 64, activation: 'leaky_relu' as const, dropout: 0.2 }],
      finalActivation: 'none' as const,
      logSoftmax: true,
    };
    assert.equal(S(mlpAsLayers(mlp)), 'Flatten Linear(64) LeakyReLU Dropout(0.2) Linear(10) LogSoftmax');
    for (const spec of [PRESETS.seed, PRESETS.recommended, mlp])
      assert.equal(parameterCount(validateModelSpec(layerListSpec(mlpAsLayers(spec)))), parameterCount(spec));
    assert.equal(S(mlpAsLayers(PRESETS.cnn)), S(PRESETS.cnn.layers));
  });
});

describe('inspectLayers: what the editor draws, valid or not, never throwing', () => {
  it('a valid list: the rows and totals of the model summary', () => {
    const report = inspectLayers(PRESETS.cnn.layers);
    const summary = summarizeModel(PRESETS.cnn);
    assert.equal(report.problem, undefined);
    assert.deepEqual(
      report.rows.map((r) => [r.text, [-1, ...(r.outputShape ?? [])], r.parameters, r.multiplyAdds]),
      summary.rows.map((r) => [r.layer, r.outputShape, r.parameters, r.multiplyAdds]),
    );
    assert.equal(report.totalParameters, 207_018);
    assert.equal(report.multiplyAdds, summary.multiplyAdds);
  });

  const cases: [string, string, number, RegExp, number][] = [
    // [name, list, bad layer, reason, rows with a shape]
    [
      'a Linear before Flatten',
      'Conv2d(8,3) ReLU Linear(10)',
      2,
      /Linear needs a flat input, it gets \[8, 26, 26\]/,
      2,
    ],
    ['a Conv2d after Flatten', 'Flatten Conv2d(8,3) Linear(10)', 1, /Conv2d needs an image input/, 1],
    [
      'a window larger than its input',
      'MaxPool2d(28) MaxPool2d(2) Flatten Linear(10)',
      1,
      /does not fit its 1×1 input/,
      1,
    ],
    ['no 10 outputs at the end', 'Flatten Linear(64) ReLU', 2, /must end with 10 outputs/, 3],
    ['an image at the end', 'Conv2d(10,3)', 0, /end with Flatten … Linear\(10\)/, 1],
  ];
  for (const [name, text, layer, reason, shaped] of cases)
    it(name, () => {
      const report = inspectLayers(L(text));
      assert.equal(report.problem?.layer, layer);
      assert.match(report.problem?.reason ?? '', reason);
      assert.equal(report.rows.length, L(text).length);
      assert.equal(report.rows.filter((r) => r.outputShape).length, shaped);
      assert.match(
        problemMessage(report) ?? '',
        new RegExp(`^#${layer} ${report.rows[layer].text.replace(/[()]/g, '\\$&')}: `),
      );
    });

  it('arguments out of range (a list read from a file) name their layer; the shapes before it still show', () => {
    const layers: LayerSpec[] = [
      { type: 'Flatten' },
      { type: 'Linear', outFeatures: 0 },
      { type: 'Linear', outFeatures: 10 },
    ];
    const report = inspectLayers(layers);
    assert.deepEqual(report.problem, {
      layer: 1,
      reason: 'out_features must be a whole number from 1 to 8192 (got 0)',
    });
    assert.deepEqual(report.rows[0].outputShape, [784]);
    assert.equal(report.rows[1].outputShape, undefined);
  });

  it('an empty list is a problem, not a crash', () => {
    const report = inspectLayers([]);
    assert.deepEqual(report.rows, []);
    assert.equal(problemMessage(report), 'the layer list is empty');
  });
});
