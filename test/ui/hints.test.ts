import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitHints, hintsFor, type Hint } from '../../src/ui/hints.js';
import { KEY_TABLE } from '../../src/ui/keys.js';
import { PRESETS } from '../../src/core/model/spec.js';
import { modelState, type AppState } from '../../src/ui/state.js';
import { testState } from './fakes.js';

const line = (hints: readonly Hint[]) => hints.map(([k, w]) => `${k} ${w}`).join(' · ');
const at = (step: AppState['step'], patch: Partial<AppState> = {}): AppState => ({ ...testState(), step, ...patch });

describe('hint line', () => {
  const cases: [string, AppState, string][] = [
    ['data', at('data'), 'enter next: model · q quit · ? keys'],
    [
      'model',
      at('model'),
      'enter next · ←→ size · a add · d del · t act. · o drop · p preset · e type · l list · q quit · ? keys',
    ],
    [
      'model: a layer list',
      at('model', { model: modelState(PRESETS.cnn) }),
      'enter next · ←→ size · a add · d del · K/J move · p preset · e type · l list · q quit · ? keys',
    ],
    [
      'the layer picker',
      at('model', { model: { ...modelState(PRESETS.cnn), picker: 0 } }),
      '←→ kind · enter add · e type · esc cancel · ? keys',
    ],
    [
      'hyperparameters',
      at('hyperparameters'),
      'enter train · ←→ change · e type · r reset · l lr finder · g search · ↑↓ field · esc back · q quit · ? keys',
    ],
    [
      'training',
      at('train', { train: { ...testState().train, status: 'running' } }),
      'space pause · s stop · x abort · + epoch · [ ] lr /2 ×2 · c charts · q quit · ? keys',
    ],
    ['paused', at('train', { train: { ...testState().train, status: 'paused' } }), 'space resume'],
    [
      'trained',
      at('train', { train: { ...testState().train, status: 'finished' } }),
      'enter next: save · c charts · esc back',
    ],
    ['verify', at('verify'), 'enter verify · a analysis'],
    [
      'analysis view',
      at('verify', { insight: { ...testState().insight, view: 'analysis' } }),
      '←→ mistakes · esc close',
    ],
    [
      'runs view',
      at('model', { insight: { ...testState().insight, view: 'runs' } }),
      '↑↓ run · space overlay · enter use settings · esc close',
    ],
    ['save', at('save'), 'enter save · e folder · esc back · q quit · ? keys'],
    ['retrain question', at('hyperparameters', { overlay: 'confirm', question: 'retrainUnsaved' }), 'y train anew'],
    [
      'typing',
      at('save', { edit: { target: 'save.dir', buffer: '' } }),
      'enter use · esc cancel · ctrl+u clear · ctrl+w del word',
    ],
    [
      'save refused: the folder holds a run',
      at('save', { save: { status: 'error', dir: 'runs/x', exists: true } }),
      'enter save · e folder · o overwrite · esc back',
    ],
    ['quit question', at('train', { overlay: 'confirm', question: 'quitTraining' }), 'y quit · n/esc keep going'],
  ];
  for (const [name, state, want] of cases)
    it(`${name}: ${want}`, () => assert.ok(line(hintsFor(state)).startsWith(want), line(hintsFor(state))));

  it('every hint is a key of the table (the line is derived, not retyped)', () => {
    const labels = new Set(KEY_TABLE.flatMap((b) => [b.label, b.hintLabel]));
    for (const step of ['data', 'model', 'hyperparameters', 'train', 'save', 'export', 'verify'] as const)
      for (const [k] of hintsFor(at(step))) assert.ok(labels.has(k), `${step}: ${k}`);
  });

  it('at 80 columns the line fits and still ends with "? keys" (issue 11 item 9: it was cut at "g search …")', () => {
    const layerList = at('model', { model: modelState(PRESETS.cnn) });
    for (const state of [at('model'), layerList, at('hyperparameters')]) {
      const fitted = line(fitHints(hintsFor(state), 79));
      assert.ok(fitted.length <= 79, fitted);
      assert.ok(fitted.endsWith('? keys'), fitted);
      assert.ok(fitted.startsWith('enter '), fitted);
    }
  });
});
