// Issue 11 item 10: the Model step keeps custom layers, e on the output row is an edit, the table lines up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { PRESET_NAMES } from '../../src/core/model/spec.js';
import { themeFor } from '../../src/ui/components/theme.js';
import type { KeyCommand } from '../../src/ui/keys.js';
import { reducer, type Action } from '../../src/ui/reducer.js';
import { ModelScreen } from '../../src/ui/screens/ModelScreen.js';
import type { AppState } from '../../src/ui/state.js';
import { testState } from './fakes.js';

const cmd = (command: KeyCommand): Action => ({ type: 'command', command });
const run = (state: AppState, ...actions: Action[]) => actions.reduce(reducer, state);
const atModel = (): AppState => ({ ...testState(), step: 'model', effects: [] });

describe('Model step (issue 11 item 10)', () => {
  it('p keeps custom layers and brings them back after the presets', () => {
    const custom = run(atModel(), cmd('addLayer'), cmd('left'));
    assert.equal(custom.model.preset, 'custom');
    const layers = custom.model.spec.hidden;
    const seed = reducer(custom, cmd('cyclePreset'));
    assert.equal(seed.model.preset, 'seed');
    assert.match(seed.status ?? '', /kept/);
    // Through the other presets, then the custom layers again.
    const back = run(seed, ...PRESET_NAMES.slice(1).map(() => cmd('cyclePreset')), cmd('cyclePreset'));
    assert.equal(back.model.preset, 'custom');
    assert.deepEqual(back.model.spec.hidden, layers);
  });
  it('a preset with its own training settings (cnn, best) lays them over the Hyperparameters form', () => {
    let s = atModel();
    while (s.model.preset !== 'cnn') s = reducer(s, cmd('cyclePreset'));
    assert.equal(s.hp.form.hyperparameters.optimizer.kind, 'adam');
    assert.equal(s.hp.form.hyperparameters.schedule.kind, 'cosine');
    assert.equal(s.hp.form.hyperparameters.epochs, 8);
    assert.match(s.status ?? '', /^cnn's training settings are in Hyperparameters: adam 2e-3 cosine, 8 epochs$/);
    while (s.model.preset !== 'best') s = reducer(s, cmd('cyclePreset'));
    const hp = s.hp.form.hyperparameters;
    assert.equal(hp.optimizer.kind, 'adamw');
    assert.equal(hp.schedule.kind, 'onecycle');
    assert.equal(hp.labelSmoothing, 0.1);
    assert.deepEqual(hp.augment, { flip: true, crop: 2, erase: false });
    assert.equal(s.hp.error, undefined);
    // The MLP presets bring none: the form keeps what it has.
    const seed = reducer(s, cmd('cyclePreset'));
    assert.equal(seed.model.preset, 'seed');
    assert.deepEqual(seed.hp.form.hyperparameters, hp);
  });
  it('e on the output row types its activation; esc cancels the edit and stays on Model', () => {
    const s = run(atModel(), cmd('up'), cmd('edit'));
    assert.equal(s.edit?.target, 'model.finalActivation');
    assert.equal(reducer(s, cmd('editCancel')).step, 'model');
    const set = run(s, { type: 'text', text: 'none' }, cmd('editCommit'));
    assert.equal(set.model.spec.finalActivation, 'none');
    const bad = run(s, { type: 'text', text: 'soft' }, cmd('editCommit'));
    assert.match(bad.edit?.error ?? '', /one of relu, tanh/);
  });
  it('the header’s columns sit over the rows’ columns', () => {
    const f = (render(<ModelScreen model={atModel().model} theme={themeFor(false)} />).lastFrame() ?? '').split('\n');
    const header = f.find((l) => l.includes('layer'))!;
    const row = f.find((l) => l.includes('Linear hidden'))!;
    const input = f.find((l) => l.includes('input'))!;
    assert.equal(header.indexOf('#'), row.indexOf('1'), `${header}\n${row}`);
    assert.equal(header.indexOf('layer'), row.indexOf('Linear'));
    assert.equal(input.indexOf('input'), row.indexOf('Linear'));
    assert.equal(header.indexOf('units') + 5, row.indexOf('512') + 3);
    assert.equal(header.indexOf('activation'), row.indexOf('relu'));
  });
});
