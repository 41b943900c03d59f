import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KEY_TABLE, resolveKey, type KeyContext, type KeyPress } from '../../src/ui/keys.js';

const normal = (step: KeyContext['step']): KeyContext => ({ step, mode: 'normal' });

describe('key table', () => {
  const cases: [string, string, KeyPress, KeyContext, unknown][] = [
    ['enter → next', '', { return: true }, normal('data'), { command: 'next' }],
    ['esc → back', '', { escape: true }, normal('model'), { command: 'back' }],
    ['q → quit', 'q', {}, normal('train'), { command: 'quit' }],
    ['? → help', '?', {}, normal('verify'), { command: 'help' }],
    ['ctrl+c → forceQuit', 'c', { ctrl: true }, normal('train'), { command: 'forceQuit' }],
    ['space → pause/resume on Train', ' ', {}, normal('train'), { command: 'pauseResume' }],
    ['s → stop after epoch', 's', {}, normal('train'), { command: 'stopAfterEpoch' }],
    ['x → abort', 'x', {}, normal('train'), { command: 'abort' }],
    ['+ → add an epoch on Train', '+', {}, normal('train'), { command: 'addEpoch' }],
    ['+ → bigger layer on Model', '+', {}, normal('model'), { command: 'right' }],
    ['[ → halve lr', '[', {}, normal('train'), { command: 'halveLr' }],
    ['] → double lr', ']', {}, normal('train'), { command: 'doubleLr' }],
    ['a → add layer', 'a', {}, normal('model'), { command: 'addLayer' }],
    ['l → lr finder', 'l', {}, normal('hyperparameters'), { command: 'lrFind' }],
    ['g → search', 'g', {}, normal('hyperparameters'), { command: 'search' }],
    ['↓ → down anywhere', '', { downArrow: true }, normal('hyperparameters'), { command: 'down' }],
    ['space does nothing on Model', ' ', {}, normal('model'), undefined],
    ['s does nothing on Data', 's', {}, normal('data'), undefined],
    ['q types a q while editing', 'q', {}, { step: 'save', mode: 'edit' }, { text: 'q' }],
    [
      'enter commits an edit',
      '',
      { return: true },
      { step: 'hyperparameters', mode: 'edit' },
      { command: 'editCommit' },
    ],
    ['esc cancels an edit', '', { escape: true }, { step: 'hyperparameters', mode: 'edit' }, { command: 'editCancel' }],
    ['y confirms quitting', 'y', {}, { step: 'train', mode: 'confirm' }, { command: 'confirmYes' }],
    ['q in the question means no', 'q', {}, { step: 'train', mode: 'confirm' }, { command: 'confirmNo' }],
    ['x is ignored in the question', 'x', {}, { step: 'train', mode: 'confirm' }, undefined],
    ['esc closes the help', '', { escape: true }, { step: 'data', mode: 'help' }, { command: 'help' }],
    ['K moves a layer up', 'K', { shift: true }, normal('model'), { command: 'moveUp' }],
    ['shift+↓ moves a layer down', '', { downArrow: true, shift: true }, normal('model'), { command: 'moveDown' }],
    ['↓ alone still selects', '', { downArrow: true }, normal('model'), { command: 'down' }],
    ['shift+↓ elsewhere is ↓', '', { downArrow: true, shift: true }, normal('hyperparameters'), { command: 'down' }],
    ['l types the whole layer list', 'l', {}, normal('model'), { command: 'editList' }],
    ['a letter in the layer picker jumps', 'c', {}, { step: 'model', mode: 'picker' }, { text: 'c' }],
    ['q in the layer picker is a letter', 'q', {}, { step: 'model', mode: 'picker' }, { text: 'q' }],
    ['enter in the layer picker adds', '', { return: true }, { step: 'model', mode: 'picker' }, { command: 'next' }],
    ['j in the layer picker is the next kind', 'j', {}, { step: 'model', mode: 'picker' }, { command: 'right' }],
  ];
  for (const [name, input, key, context, want] of cases)
    it(name, () => assert.deepEqual(resolveKey(input, key, context), want));

  it('no chord is bound twice in one scope, nor shadows a global key by accident', () => {
    const seen = new Map<string, string>();
    for (const b of KEY_TABLE)
      for (const ch of b.chords) {
        const id = `${b.scope}:${ch.ctrl ? 'ctrl+' : ''}${ch.shift ? 'shift+' : ''}${ch.key ?? ch.input}`;
        assert.ok(!seen.has(id), `${id} is bound to ${seen.get(id)} and ${b.command}`);
        seen.set(id, b.command);
      }
  });
  it('every binding has a label and a description for the help', () => {
    for (const b of KEY_TABLE) assert.ok(b.label && b.description.length > 5, b.command);
  });
});
