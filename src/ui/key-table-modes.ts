// The key table's rows for the modes that take over the keyboard: the confirm question, the help, typing.
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
];
