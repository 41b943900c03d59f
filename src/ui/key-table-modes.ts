// The key table's rows for the modes that take over the keyboard: the confirm question, the help, typing,
// the picker of layer kinds.
import type { KeyBinding, KeyChord, SpecialKey } from './key-types.js';

const k = (key: SpecialKey): KeyChord => ({ key });
const c = (input: string): KeyChord => ({ input });

export const MODE_KEYS: readonly KeyBinding[] = [
  {
    command: 'confirmYes',
    scope: 'confirm',
    chords: [c('y'), c('Y')],
    label: 'y',
    description: 'yes, stop training and quit',
    hint: 'quit',
  },
  {
    command: 'confirmNo',
    scope: 'confirm',
    chords: [c('n'), c('N'), k('escape'), c('q')],
    label: 'n/esc',
    description: 'no, keep going',
    hint: 'keep going',
  },
  {
    command: 'forceQuit',
    scope: 'confirm',
    chords: [{ input: 'c', ctrl: true }],
    label: 'ctrl+c',
    description: 'quit now',
  },

  {
    command: 'help',
    scope: 'help',
    chords: [c('?'), k('escape'), k('return'), c('q')],
    label: '?/esc',
    description: 'close this help',
    hint: 'close',
  },
  {
    command: 'forceQuit',
    scope: 'help',
    chords: [{ input: 'c', ctrl: true }],
    label: 'ctrl+c',
    description: 'quit now',
  },

  {
    command: 'editCommit',
    scope: 'edit',
    chords: [k('return')],
    label: 'enter',
    description: 'use the typed value',
    hint: 'use',
  },
  {
    command: 'editCancel',
    scope: 'edit',
    chords: [k('escape')],
    label: 'esc',
    description: 'cancel typing',
    hint: 'cancel',
  },
  {
    command: 'editBackspace',
    scope: 'edit',
    chords: [k('backspace'), k('delete')],
    label: 'backspace',
    description: 'delete a character',
  },
  {
    command: 'editClearLine',
    scope: 'edit',
    chords: [{ input: 'u', ctrl: true }],
    label: 'ctrl+u',
    description: 'clear the field',
    hint: 'clear',
  },
  {
    command: 'editDeleteWord',
    scope: 'edit',
    chords: [{ input: 'w', ctrl: true }],
    label: 'ctrl+w',
    description: 'delete the last word (or path part)',
    hint: 'del word',
  },
  {
    command: 'forceQuit',
    scope: 'edit',
    chords: [{ input: 'c', ctrl: true }],
    label: 'ctrl+c',
    description: 'quit now',
  },

  {
    command: 'left',
    scope: 'picker',
    chords: [k('leftArrow'), k('upArrow'), c('k')],
    label: '←/↑',
    description: 'the previous kind of layer',
    hint: 'kind',
    hintLabel: '←→',
  },
  {
    command: 'right',
    scope: 'picker',
    chords: [k('rightArrow'), k('downArrow'), c('j')],
    label: '→/↓',
    description: 'the next kind (or type its first letter: c Conv2d, l Linear, …)',
  },
  {
    command: 'next',
    scope: 'picker',
    chords: [k('return')],
    label: 'enter',
    description: 'add it after the selected layer',
    hint: 'add',
  },
  {
    command: 'edit',
    scope: 'picker',
    chords: [c('e')],
    label: 'e',
    description: 'type the new layer (or several) instead',
    hint: 'type',
  },
  {
    command: 'back',
    scope: 'picker',
    chords: [k('escape')],
    label: 'esc',
    description: 'add nothing',
    hint: 'cancel',
  },
  { command: 'help', scope: 'picker', chords: [c('?')], label: '?', description: 'show every key', hint: 'keys' },
  {
    command: 'forceQuit',
    scope: 'picker',
    chords: [{ input: 'c', ctrl: true }],
    label: 'ctrl+c',
    description: 'quit now',
  },
];
