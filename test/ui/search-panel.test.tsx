// Issue 11 item 8: the search panel in the session.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { PRESETS } from '../../src/core/model/spec.js';
import { OPTIMIZER_DEFAULTS } from '../../src/core/train/hyperparameters.js';
import { TunePanel } from '../../src/ui/components/TunePanel.js';
import { themeFor } from '../../src/ui/components/theme.js';
import type { KeyCommand } from '../../src/ui/keys.js';
import { reducer, type Action } from '../../src/ui/reducer.js';
import type { SearchTrial } from '../../src/ui/services.js';
import type { AppState } from '../../src/ui/state.js';
import { summarizeDataset } from '../../src/ui/summary.js';
import { fakeDataset, testState } from './fakes.js';

const cmd = (command: KeyCommand): Action => ({ type: 'command', command });
const run = (state: AppState, ...actions: Action[]) => actions.reduce(reducer, state);
const dataset = fakeDataset();

/** Hyperparameters with a cosine schedule, 10 epochs, and the search started. */
function searching(): AppState {
  const s = reducer(testState(), { type: 'dataLoaded', dataset, summary: summarizeDataset(dataset) });
  const cosine = { ...s.hp.form.hyperparameters, schedule: { kind: 'cosine' as const, tMax: 10, etaMin: 0 } };
  const form = reducer(
    { ...s, step: 'hyperparameters', effects: [], hp: { ...s.hp, form: { ...s.hp.form, hyperparameters: cosine } } },
    cmd('search'),
  );
  return { ...form, effects: [] };
}
const trial = (id: number, acc: number, status: SearchTrial['status'] = 'done', epochs = 3): SearchTrial => ({
  id,
  hyperparameters: {
    ...testState().hp.form.hyperparameters,
    learningRate: 1e-3 * id,
    batchSize: 32,
    epochs: 3,
    shuffle: true,
    optimizer: OPTIMIZER_DEFAULTS.adam,
  },
  spec: PRESETS.recommended,
  testAccuracy: acc,
  testLoss: Number.isNaN(acc) ? Number.NaN : 1 - acc,
  seconds: 5,
  status,
  epochs,
  of: 8,
});

describe('search panel (issue 11 item 8)', () => {
  it('applying the best trial keeps the schedule and the epochs, and says what it changed', () => {
    const best = trial(3, 0.858);
    const s = run(searching(), { type: 'searchDone', result: { trials: [best], best } }, cmd('next'));
    const hp = s.hp.form.hyperparameters;
    assert.equal(hp.schedule.kind, 'cosine');
    assert.equal(hp.epochs, 10);
    assert.equal(hp.learningRate, 3e-3);
    assert.equal(hp.optimizer.kind, 'adam');
    assert.equal(hp.batchSize, 32);
    assert.match(
      s.status ?? '',
      /applied trial 3: model recommended, adam, lr 3e-3, batch 32, shuffle on \(schedule, epochs and loss kept\)/,
    );
  });
  it('esc while searching stops it but keeps the finished trials; enter applies the best of them', () => {
    const s = run(
      searching(),
      { type: 'searchTrial', trial: trial(1, 0.81) },
      { type: 'searchTrial', trial: trial(2, 0.858) },
      { type: 'searchTrial', trial: trial(3, Number.NaN, 'running', 0) },
      cmd('back'),
    );
    assert.deepEqual(
      s.effects.map((e) => e.kind),
      ['cancelTune'],
    );
    assert.equal(s.hp.tune.status, 'searched');
    assert.equal(s.hp.tune.best?.id, 2);
    assert.deepEqual(
      s.hp.tune.trials.map((t) => t.id),
      [2, 1],
    );
    assert.match(reducer(s, cmd('next')).status ?? '', /applied trial 2/);
  });
  it('esc before any trial finished closes the panel', () => {
    const s = run(searching(), { type: 'searchTrial', trial: trial(1, Number.NaN, 'running', 0) }, cmd('back'));
    assert.equal(s.hp.tune.status, 'idle');
  });
  it('the table shows progress from the first trial, epochs, preset names and why a row stopped', () => {
    const tune: AppState['hp']['tune'] = {
      status: 'searching',
      trials: [trial(2, 0.86), trial(1, 0.7, 'stopped', 1), trial(3, Number.NaN, 'running', 0)],
    };
    const f =
      render(
        <TunePanel tune={tune} learningRate={1e-3} columns={100} rows={24} theme={themeFor(false)} />,
      ).lastFrame() ?? '';
    assert.match(f, /Search trial 3\/8 running/);
    assert.match(f, /# model +optimizer lr +batch ep test acc/);
    assert.match(f, /2 recommended +adam +2e-3 +32 +3 +86\.0%/);
    assert.match(f, /1 recommended .* 1 +70\.0% .* stopped early/);
    assert.match(f, /3 recommended .* 0 +-- +-- .* running/);
  });
});
