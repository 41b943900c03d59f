// Issue 11 items 3 (a trained model is never lost without asking) and 4 (saving into an existing folder).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyCommand } from '../../src/ui/keys.js';
import { reducer, type Action } from '../../src/ui/reducer.js';
import type { AppState } from '../../src/ui/state.js';
import { summarizeDataset } from '../../src/ui/summary.js';
import { fakeDataset, testState } from './fakes.js';

const cmd = (command: KeyCommand): Action => ({ type: 'command', command });
const run = (state: AppState, ...actions: Action[]) => actions.reduce(reducer, state);
const kinds = (s: AppState) => s.effects.map((e) => e.kind);
const dataset = fakeDataset();

/** A run that finished one epoch and handed back its model; nothing saved yet. */
function trained(step: AppState['step'] = 'train'): AppState {
  const s = reducer(testState(), { type: 'dataLoaded', dataset, summary: summarizeDataset(dataset) });
  const m = s.model.spec;
  return {
    ...s,
    step,
    effects: [],
    train: {
      ...s.train,
      status: 'finished',
      runId: 1,
      history: [{ epoch: 1, epochs: 1 } as unknown as AppState['train']['history'][number]],
      model: { spec: m, hyperparameters: s.hp.form.hyperparameters, parameters: new Map() },
    },
  };
}

describe('an unsaved trained model (issue 11 item 3)', () => {
  it('q after training asks first; n keeps the session, y quits', () => {
    const s = reducer(trained(), cmd('quit'));
    assert.equal(s.overlay, 'confirm');
    assert.equal(s.question, 'quitUnsaved');
    assert.deepEqual(kinds(s), []);
    assert.equal(reducer(s, cmd('confirmNo')).overlay, undefined);
    assert.deepEqual(kinds(reducer(s, cmd('confirmYes'))), ['exit']);
  });
  it('esc esc then enter from Save asks before a new run replaces it; y trains', () => {
    const s = run(trained('save'), cmd('back'), cmd('back'), cmd('next'));
    assert.equal(s.step, 'hyperparameters');
    assert.equal(s.question, 'retrainUnsaved');
    assert.deepEqual(kinds(s), []);
    const y = reducer(s, cmd('confirmYes'));
    assert.equal(y.step, 'train');
    assert.ok(kinds(y).includes('startTraining'));
  });
  it('once saved, q quits at once and enter trains without asking', () => {
    const saved = run(trained('save'), { type: 'saveDone', result: { dir: 'runs/test', files: [] } });
    assert.deepEqual(kinds(reducer(saved, cmd('quit'))), ['exit']);
    assert.ok(kinds(run(saved, cmd('back'), cmd('back'), cmd('next'))).includes('startTraining'));
  });
  it('a run aborted before its first epoch has nothing to lose: q quits', () => {
    const s = trained();
    assert.deepEqual(kinds(reducer({ ...s, train: { ...s.train, history: [] } }, cmd('quit'))), ['exit']);
  });
});

describe('saving into a folder that holds a run (issue 11 item 4)', () => {
  const refused = () =>
    run(trained('save'), cmd('next'), {
      type: 'taskFailed',
      task: 'save',
      message: 'runs/test already holds a saved run (model.safetensors); overwrite it, or choose another folder',
      exists: true,
    });
  it('the refusal offers o to overwrite; o saves with overwrite', () => {
    const s = refused();
    assert.equal(s.save.exists, true);
    const o = reducer({ ...s, effects: [] }, cmd('overwrite'));
    assert.deepEqual(
      o.effects.map((e) => ({ ...e, id: 0 })),
      [{ id: 0, kind: 'save', overwrite: true }],
    );
    assert.equal(o.save.status, 'working');
  });
  it('o does nothing when nothing was refused', () => {
    assert.deepEqual(kinds(reducer(trained('save'), cmd('overwrite'))), []);
  });
  it('e opens the path pre-filled; ctrl+w deletes its last part, ctrl+u clears it, a new name commits', () => {
    let s = reducer({ ...refused(), save: { ...refused().save, dir: 'runs/2026-12-02' } }, cmd('edit'));
    assert.equal(s.edit?.buffer, 'runs/2026-12-02');
    s = reducer(s, cmd('editDeleteWord'));
    assert.equal(s.edit?.buffer, 'runs/');
    s = reducer(s, cmd('editDeleteWord'));
    assert.equal(s.edit?.buffer, '');
    s = run(s, { type: 'text', text: 'abc def' }, cmd('editDeleteWord'));
    assert.equal(s.edit?.buffer, 'abc ');
    s = run(s, cmd('editClearLine'), { type: 'text', text: 'runs/other' }, cmd('editCommit'));
    assert.equal(s.save.dir, 'runs/other');
    assert.equal(s.save.exists, undefined);
    assert.equal(s.save.status, 'idle');
  });
});

describe('saving again (found in tmux)', () => {
  it('a new save means a new export: enter on Save exports again instead of showing the old file', () => {
    const exported = run(
      trained('save'),
      { type: 'saveDone', result: { dir: 'runs/a', files: [] } },
      { type: 'exportDone', result: { file: { path: 'runs/a/model.onnx', bytes: 1, what: 'ONNX' }, opset: 17 } },
    );
    const again = run(
      { ...exported, effects: [] },
      { type: 'saveDone', result: { dir: 'runs/b', files: [] } },
      cmd('next'),
    );
    assert.equal(again.step, 'export');
    assert.deepEqual(kinds(again), ['export']);
  });
});
