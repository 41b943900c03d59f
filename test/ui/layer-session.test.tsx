// Issue 13 item 10 through the whole app: the list edited on the Model step (a paste in one chunk)
// is what trains, the Train step says the model in one line, an invalid list never reaches training.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { formatLayers } from '../../src/core/model/layers.js';
import { parseLayers } from '../../src/core/model/parse-layers.js';
import { layerListSpec, PRESETS } from '../../src/core/model/spec.js';
import { App } from '../../src/ui/app.js';
import { modelLine, shorten } from '../../src/ui/model-line.js';
import { validationError } from '../../src/ui/reducer.js';
import { modelState } from '../../src/ui/state.js';
import { fakeServices, testState, tick, waitFor } from './fakes.js';

const ENTER = '\r';
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('a layer list in the session', () => {
  it('the pasted list trains, and the Train step says it in one line', async () => {
    const services = fakeServices();
    const app = render(<App services={services} initial={testState({ hyperparameters: undefined })} />);
    const frame = () => plain(app.lastFrame() ?? '');
    await waitFor(frame, (s) => s.includes('Classes (training set)'), 'the data step');
    app.stdin.write(ENTER);
    await waitFor(frame, (s) => s.includes('Parameters 669,706'), 'the model step');
    app.stdin.write('l');
    await waitFor(frame, (s) => s.includes('layers: Flatten Linear(512)'), 'the list typed out');
    const typed = 'Conv2d(8,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(10)';
    app.stdin.write(typed); // one chunk, as a paste arrives
    await tick();
    app.stdin.write(ENTER);
    await waitFor(frame, (s) => s.includes('Parameters 15,770'), 'the new list');
    app.stdin.write(ENTER);
    await waitFor(frame, (s) => s.includes('learning rate'), 'the hyperparameters step');
    app.stdin.write(ENTER);
    const f = await waitFor(frame, (s) => s.includes('training finished'), 'the end of training', 10_000);
    assert.match(
      f,
      /^model Conv2d\(8,3,padding=1\) ReLU MaxPool2d\(2\) Flatten Linear\(10\) · 5 layers · 15,770 params$/m,
    );
    assert.equal(services.requests.length, 1);
    assert.equal(formatLayers(services.requests[0].spec.layers ?? []), typed);
    app.unmount();
  });

  it('an invalid list stops at the Model step with the reason', async () => {
    const services = fakeServices();
    const spec = layerListSpec(parseLayers('Conv2d(8,3) Linear(10)'));
    const app = render(<App services={services} initial={{ ...testState({ spec }), step: 'model' }} />);
    const frame = () => plain(app.lastFrame() ?? '');
    await waitFor(frame, (s) => s.includes('✗ #1 Linear(10): Linear needs a flat input'), 'the problem');
    app.stdin.write(ENTER);
    await waitFor(frame, (s) => s.includes('fix the model first: #1 Linear(10)'), 'the refusal');
    assert.match(frame(), /Model/);
    assert.deepEqual(services.requests, []);
    app.unmount();
  });
});

describe('the model in one line', () => {
  it('a preset by name, the layers of one’s own list shortened to fit', () => {
    assert.equal(modelLine(modelState(PRESETS.cnn), 73), 'cnn · 13 layers · 207,018 params');
    assert.equal(
      modelLine(modelState(PRESETS.seed), 73),
      'seed · 784 → 512 relu → 512 relu → 10 relu · 669,706 params',
    );
    const own = modelState(layerListSpec(parseLayers(`${'Conv2d(8,3,padding=1) ReLU '.repeat(4)}Flatten Linear(10)`)));
    const line = modelLine(own, 73);
    assert.ok(line.length <= 73, line);
    assert.equal(line, 'Conv2d(8,3,padding=1) ReLU … · 10 layers · 64,562 params');
    const wide = modelLine(own, 100);
    assert.ok(wide.length > line.length && wide.length <= 100, wide);
  });
  it('shorten cuts at a space where it can', () => {
    assert.equal(shorten('abc def ghi', 20), 'abc def ghi');
    assert.equal(shorten('abc def ghi', 9), 'abc def …');
    assert.equal(shorten('abcdefghij', 5), 'abcd…');
  });
});

describe('nll loss and a layer list', () => {
  it('the Hyperparameters step refuses nll unless the list ends in LogSoftmax', () => {
    const state = testState({ spec: PRESETS.cnn });
    const nll = { ...state.hp.form, hyperparameters: { ...state.hp.form.hyperparameters, loss: 'nll' as const } };
    assert.match(
      validationError(state, nll) ?? '',
      /loss nll expects log-probabilities: end the layer list with LogSoftmax/,
    );
    const ending = testState({ spec: layerListSpec([...PRESETS.cnn.layers, { type: 'LogSoftmax' }]) });
    assert.equal(validationError(ending, nll), undefined);
  });
});
