// Issue 13 item 10: the Model step edits a layer list. Keys go through the key table (and a chunk
// through splitKeys, as a paste or fast repeats arrive), into the reducer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLayers } from '../../src/core/model/layers.js';
import { PRESET_NAMES, PRESETS } from '../../src/core/model/spec.js';
import { hintsFor } from '../../src/ui/hints.js';
import { splitKeys } from '../../src/ui/key-chunks.js';
import type { KeyPress } from '../../src/ui/keys.js';
import { keyMode, reducer } from '../../src/ui/reducer.js';
import type { AppState } from '../../src/ui/state.js';
import { testState } from './fakes.js';

/** A chunk of keys as the terminal delivers them (one `input`), each resolved in the state it lands on. */
const type = (state: AppState, chunk: string, key: KeyPress = {}) =>
  splitKeys(chunk, key).reduce((s, k) => reducer(s, { type: 'key', ...k }), state);
const ENTER: KeyPress = { return: true };
const ESC: KeyPress = { escape: true };
const enter = (s: AppState) => type(s, '', ENTER);
const layers = (s: AppState) => formatLayers(s.model.spec.layers ?? []);
const CNN = formatLayers(PRESETS.cnn.layers);
const atModel = (rows = 24): AppState => ({
  ...testState({ spec: PRESETS.cnn, rows, columns: 80 }),
  step: 'model',
  effects: [],
});

describe('the layer-list editor (keys → reducer)', () => {
  it('j/k select, wrapping; a chunk of j counts every key', () => {
    assert.equal(type(atModel(), 'jjj').model.selected, 3);
    assert.equal(type(atModel(), 'k').model.selected, 12);
  });

  it('a opens the picker on the selected kind; → and a letter choose; enter adds it after the selected layer', () => {
    let s = type(atModel(), 'jjj'); // #3 MaxPool2d(2)
    s = type(s, 'a');
    assert.equal(keyMode(s), 'picker');
    assert.equal(s.model.picker, 1); // MaxPool2d
    assert.deepEqual(
      hintsFor(s).map(([k, w]) => `${k} ${w}`),
      ['←→ kind', 'enter add', 'e type', 'esc cancel', '? keys'],
    );
    s = type(s, 'l'); // l: Linear, then LeakyReLU, LogSoftmax
    s = type(s, 'l');
    s = enter(s);
    assert.equal(keyMode(s), 'normal');
    assert.equal(s.model.selected, 4);
    assert.match(layers(s), /^Conv2d\(16,3,padding=1\) BatchNorm2d ReLU MaxPool2d\(2\) LeakyReLU Conv2d/);
    // → from the first kind, then enter: a Conv2d with its default arguments.
    s = enter(type(type(type(s, 'a'), 'c'), '', { rightArrow: true }));
    assert.equal(s.model.spec.layers?.[5]?.type, 'MaxPool2d');
    assert.equal(s.model.preset, 'custom');
  });

  it('e in the picker types the new layers instead; enter inserts them after the selected one', () => {
    let s = type(atModel(), 'a');
    s = type(s, 'e');
    assert.deepEqual(s.edit, { target: 'model.insert', buffer: 'Conv2d(16,3,padding=1)', replace: true });
    assert.equal(keyMode(s), 'edit');
    s = type(s, 'BatchNorm2d Dropout(0.1)\r');
    assert.match(layers(s), /^Conv2d\(16,3,padding=1\) BatchNorm2d Dropout\(0\.1\) BatchNorm2d ReLU/);
    assert.equal(s.model.selected, 1);
  });

  it('esc closes the picker without adding; q there is a letter, not quit', () => {
    const s = type(atModel(), 'aq');
    assert.equal(s.exiting, undefined);
    const closed = type(s, '', ESC);
    assert.equal(keyMode(closed), 'normal');
    assert.equal(closed.step, 'model');
    assert.equal(layers(closed), CNN);
  });

  it('d removes the selected layer; K/J (and shift+↑/↓) move it', () => {
    let s = type(atModel(), 'jjjjjjjjd'); // #8 Flatten
    assert.equal(s.model.spec.layers?.length, 12);
    assert.equal(s.model.selected, 8);
    s = type(atModel(), 'jjjjjjjjjJ'); // #9 Dropout(0.25) below Linear(128)
    assert.match(layers(s), /Flatten Linear\(128\) Dropout\(0\.25\) ReLU/);
    assert.equal(s.model.selected, 10);
    s = type(s, '', { upArrow: true, shift: true });
    assert.equal(layers(s), CNN);
    assert.match(type(atModel(), 'K').status ?? '', /#0 Conv2d\(16,3,padding=1\) is already at the top/);
  });

  it('Backspace (Ink: delete) removes nothing in the list, alone or repeated in a chunk; in e it edits the text', () => {
    const at = type(atModel(), 'jj');
    for (const s of [type(at, '', { delete: true }), type(at, '', { backspace: true }), type(at, '\x7f\x7f\x7f')]) {
      assert.equal(layers(s), CNN);
      assert.equal(s.model.selected, 2);
      assert.equal(s.edit, undefined);
    }
    assert.equal(type(type(at, 'e'), '', { delete: true }).edit?.buffer, 'ReL');
  });

  it('←/→ resize the selected layer; the counts follow live', () => {
    const s = type(atModel(), '', { rightArrow: true });
    assert.equal(layers(s).split(' ')[0], 'Conv2d(32,3,padding=1)');
    assert.equal(s.model.parameterCount, 207_018 + 160 + 16 * 2 + 4_608);
    assert.match(type(atModel(), 'j+').status ?? '', /BatchNorm2d has no size to change: e edits its text/);
  });

  it('e types the layer: its text is there, a paste in one chunk replaces it, enter sets it', () => {
    let s = type(atModel(), 'e');
    assert.deepEqual(s.edit, { target: 'model.layer', buffer: 'Conv2d(16,3,padding=1)', replace: true });
    s = type(s, 'Conv2d(32,5,padding=2)');
    assert.equal(s.edit?.buffer, 'Conv2d(32,5,padding=2)');
    s = enter(s);
    assert.equal(s.edit, undefined);
    assert.equal(layers(s).split(' ')[0], 'Conv2d(32,5,padding=2)');
    assert.equal(s.model.report?.rows[1].text, 'BatchNorm2d');
    // Backspace edits the text instead of replacing it.
    s = type(type(atModel(), 'e'), '\x7f\x7f2)');
    assert.equal(s.edit?.buffer, 'Conv2d(16,3,padding=2)');
  });

  it('a bad layer text stays open with the parser’s reason; several layers replace the one', () => {
    let s = type(type(atModel(), 'e'), 'Conv3d(8)');
    assert.match(s.edit?.error ?? '', /'Conv3d' is not a layer/);
    s = enter(s);
    assert.equal(s.edit?.target, 'model.layer');
    s = type(type(atModel(), 'e'), 'Conv2d(8,3,padding=1) Linear(x)');
    assert.match(s.edit?.error ?? '', /^layer 2 \(Linear\(x\)\): Linear: out_features must be a number/);
    s = enter(type(type(atModel(), 'e'), 'Conv2d(8,3,padding=1) ReLU Conv2d(16,3,padding=1)'));
    assert.equal(s.model.spec.layers?.length, 15);
    assert.match(layers(s), /^Conv2d\(8,3,padding=1\) ReLU Conv2d\(16,3,padding=1\) BatchNorm2d/);
  });

  it('an invalid list is shown, not refused, and enter will not go on to training until it fits', () => {
    let s = type(atModel(), 'jjjjjjjjd'); // Flatten removed
    assert.equal(s.model.report?.problem?.layer, 9);
    assert.match(s.model.error ?? '', /^#9 Linear\(128\): Linear needs a flat input, it gets \[32, 7, 7\]/);
    s = enter(s);
    assert.equal(s.step, 'model');
    assert.match(s.status ?? '', /^fix the model first: #9 Linear\(128\)/);
    s = enter(type(type(s, 'ka'), 'f')); // Flatten back, after #7
    assert.equal(s.model.error, undefined);
    assert.equal(layers(s), CNN);
    assert.equal(enter(s).step, 'hyperparameters');
  });

  it('removing every layer leaves an empty list with a way back (a, p), never a crash', () => {
    let s = type(atModel(), 'd'.repeat(14));
    assert.equal(s.model.spec.layers?.length, 0);
    assert.equal(s.model.error, 'the layer list is empty');
    assert.match(s.status ?? '', /nothing to remove/);
    s = enter(type(s, 'aj'));
    assert.equal(layers(s), 'MaxPool2d(2)');
  });

  it('l on the seed MLP types its layer list; enter makes it an editable list with the same parameters', () => {
    let s: AppState = { ...testState(), step: 'model', effects: [] };
    s = type(s, 'l');
    assert.equal(s.edit?.buffer, 'Flatten Linear(512) ReLU Linear(512) ReLU Linear(10) ReLU');
    s = enter(s);
    assert.equal(s.model.spec.layers?.length, 7);
    assert.equal(s.model.parameterCount, 669_706);
    // A --layers string pasted in one chunk, with its enter.
    s = type(type(s, 'l'), 'Conv2d(8,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(10)\r');
    assert.equal(s.edit, undefined);
    assert.equal(layers(s), 'Conv2d(8,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(10)');
    assert.equal(s.model.parameterCount, 80 + 1568 * 10 + 10);
  });

  it('p picks a preset, replacing the list (your own list kept and brought back after the last)', () => {
    let s = type(atModel(), 'd'); // custom now
    s = type(s, 'p');
    assert.equal(s.model.preset, 'seed');
    assert.equal(s.model.spec.layers, undefined);
    s = type(s, 'pp');
    assert.equal(s.model.preset, 'cnn');
    assert.equal(layers(s), CNN);
    s = type(s, 'p'.repeat(PRESET_NAMES.length - 2)); // the presets after cnn, then your own list
    assert.equal(s.model.preset, 'custom');
    assert.equal(s.model.spec.layers?.length, 12);
  });

  it('the list scrolls with the selection at 80×24 and keeps its window while the selection stays in it', () => {
    let s = type(atModel(), 'l');
    s = type(s, `${'Conv2d(4,3,padding=1) ReLU '.repeat(10)}Flatten Linear(10)\r`);
    assert.equal(s.model.spec.layers?.length, 22);
    assert.equal(s.model.scroll, 0);
    s = type(s, 'j'.repeat(15));
    assert.equal(s.model.selected, 15);
    assert.equal(s.model.scroll, 5); // the last of 11 rows between the two indicator lines
    s = type(s, 'kkk');
    assert.equal(s.model.scroll, 5);
  });

  it('t and o (MLP keys) say what does that in a list; the hint line shows the list’s keys', () => {
    assert.match(type(atModel(), 't').status ?? '', /←\/→ change an activation's kind/);
    const hints = hintsFor(atModel()).map(([k, w]) => `${k} ${w}`);
    assert.ok(hints.includes('K/J move') && hints.includes('l list'), hints.join(' · '));
    assert.ok(!hints.includes('t act.'));
  });
});
