// Every key the app understands, in one table (after gemini-cli's keyBindings.ts).
// Screens never test keys themselves: useInput → resolveKey → a command → the reducer.
import type { StepId } from './state.js';

export type KeyCommand =
  // everywhere
  | 'next'
  | 'back'
  | 'quit'
  | 'forceQuit'
  | 'help'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'edit'
  // data
  | 'retryData'
  // model
  | 'addLayer'
  | 'removeLayer'
  | 'cycleActivation'
  | 'cycleDropout'
  | 'cyclePreset'
  // hyperparameters
  | 'resetDefaults'
  | 'lrFind'
  | 'search'
  // train
  | 'pauseResume'
  | 'stopAfterEpoch'
  | 'abort'
  | 'addEpoch'
  | 'halveLr'
  | 'doubleLr'
  // quit confirmation
  | 'confirmYes'
  | 'confirmNo'
  // text editing
  | 'editCommit'
  | 'editCancel'
  | 'editBackspace';

/** The subset of Ink's Key we match on. */
export interface KeyPress {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
}

type SpecialKey =
  | 'return'
  | 'escape'
  | 'upArrow'
  | 'downArrow'
  | 'leftArrow'
  | 'rightArrow'
  | 'backspace'
  | 'delete'
  | 'tab';

/** One way to press a key: a special key, a character, or ctrl+character. */
export interface KeyChord {
  readonly key?: SpecialKey;
  readonly input?: string;
  readonly ctrl?: boolean;
}

/** Where a binding applies: every step, one step, or a mode that takes over the keyboard. */
export type KeyScope = 'global' | StepId | 'edit' | 'confirm' | 'help';

export interface KeyBinding {
  readonly command: KeyCommand;
  readonly scope: KeyScope;
  readonly chords: readonly KeyChord[];
  /** How the key is written in the help and the hint line. */
  readonly label: string;
  readonly description: string;
}

const k = (key: SpecialKey): KeyChord => ({ key });
const c = (input: string): KeyChord => ({ input });

export const KEY_TABLE: readonly KeyBinding[] = [
  {
    command: 'next',
    scope: 'global',
    chords: [k('return')],
    label: 'enter',
    description: 'accept and go to the next step',
  },
  { command: 'back', scope: 'global', chords: [k('escape')], label: 'esc', description: 'go back a step' },
  { command: 'quit', scope: 'global', chords: [c('q')], label: 'q', description: 'quit (asks first while training)' },
  {
    command: 'forceQuit',
    scope: 'global',
    chords: [{ input: 'c', ctrl: true }],
    label: 'ctrl+c',
    description: 'quit now (stops training)',
  },
  { command: 'help', scope: 'global', chords: [c('?')], label: '?', description: 'show every key' },
  {
    command: 'up',
    scope: 'global',
    chords: [k('upArrow'), c('k')],
    label: '↑/k',
    description: 'select the previous row',
  },
  {
    command: 'down',
    scope: 'global',
    chords: [k('downArrow'), c('j')],
    label: '↓/j',
    description: 'select the next row',
  },

  { command: 'retryData', scope: 'data', chords: [c('r')], label: 'r', description: 'load the data again' },

  {
    command: 'left',
    scope: 'model',
    chords: [k('leftArrow'), c('-')],
    label: '←/-',
    description: 'halve the selected layer (output row: previous final activation)',
  },
  {
    command: 'right',
    scope: 'model',
    chords: [k('rightArrow'), c('+'), c('=')],
    label: '→/+',
    description: 'double the selected layer (output row: next final activation)',
  },
  {
    command: 'addLayer',
    scope: 'model',
    chords: [c('a')],
    label: 'a',
    description: 'add a hidden layer after the selected one',
  },
  {
    command: 'removeLayer',
    scope: 'model',
    chords: [c('d'), k('delete')],
    label: 'd',
    description: 'remove the selected hidden layer',
  },
  {
    command: 'cycleActivation',
    scope: 'model',
    chords: [c('t')],
    label: 't',
    description: 'change the activation of the selected row',
  },
  {
    command: 'cycleDropout',
    scope: 'model',
    chords: [c('o')],
    label: 'o',
    description: 'change the dropout of the selected layer',
  },
  {
    command: 'cyclePreset',
    scope: 'model',
    chords: [c('p')],
    label: 'p',
    description: 'next preset (seed, recommended)',
  },
  { command: 'edit', scope: 'model', chords: [c('e')], label: 'e', description: 'type a size for the selected layer' },

  {
    command: 'left',
    scope: 'hyperparameters',
    chords: [k('leftArrow')],
    label: '←',
    description: 'smaller value / previous choice',
  },
  {
    command: 'right',
    scope: 'hyperparameters',
    chords: [k('rightArrow')],
    label: '→',
    description: 'larger value / next choice',
  },
  {
    command: 'edit',
    scope: 'hyperparameters',
    chords: [c('e')],
    label: 'e',
    description: 'type a value for the selected field',
  },
  {
    command: 'resetDefaults',
    scope: 'hyperparameters',
    chords: [c('r')],
    label: 'r',
    description: "reset to the seed program's values",
  },
  {
    command: 'lrFind',
    scope: 'hyperparameters',
    chords: [c('l')],
    label: 'l',
    description: 'learning-rate finder (enter applies the suggestion)',
  },
  {
    command: 'search',
    scope: 'hyperparameters',
    chords: [c('g')],
    label: 'g',
    description: 'hyperparameter search (enter applies the best trial)',
  },

  { command: 'pauseResume', scope: 'train', chords: [c(' ')], label: 'space', description: 'pause / resume' },
  { command: 'stopAfterEpoch', scope: 'train', chords: [c('s')], label: 's', description: 'stop after this epoch' },
  { command: 'abort', scope: 'train', chords: [c('x')], label: 'x', description: 'abort now' },
  { command: 'addEpoch', scope: 'train', chords: [c('+'), c('=')], label: '+', description: 'add an epoch' },
  { command: 'halveLr', scope: 'train', chords: [c('[')], label: '[', description: 'halve the learning rate' },
  { command: 'doubleLr', scope: 'train', chords: [c(']')], label: ']', description: 'double the learning rate' },

  { command: 'edit', scope: 'save', chords: [c('e')], label: 'e', description: 'type another folder' },

  {
    command: 'confirmYes',
    scope: 'confirm',
    chords: [c('y'), c('Y')],
    label: 'y',
    description: 'yes, stop training and quit',
  },
  {
    command: 'confirmNo',
    scope: 'confirm',
    chords: [c('n'), c('N'), k('escape'), c('q')],
    label: 'n/esc',
    description: 'no, keep going',
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
  },
  {
    command: 'forceQuit',
    scope: 'help',
    chords: [{ input: 'c', ctrl: true }],
    label: 'ctrl+c',
    description: 'quit now',
  },

  { command: 'editCommit', scope: 'edit', chords: [k('return')], label: 'enter', description: 'use the typed value' },
  { command: 'editCancel', scope: 'edit', chords: [k('escape')], label: 'esc', description: 'cancel typing' },
  {
    command: 'editBackspace',
    scope: 'edit',
    chords: [k('backspace'), k('delete')],
    label: 'backspace',
    description: 'delete a character',
  },
  {
    command: 'forceQuit',
    scope: 'edit',
    chords: [{ input: 'c', ctrl: true }],
    label: 'ctrl+c',
    description: 'quit now',
  },
];

function matches(chord: KeyChord, input: string, key: KeyPress): boolean {
  if (chord.key) return key[chord.key] === true && !key.ctrl;
  if (chord.ctrl) return key.ctrl === true && input === chord.input;
  return !key.ctrl && input === chord.input;
}

/** The mode that owns the keyboard right now: help, the quit question, typing, or a step. */
export interface KeyContext {
  readonly step: StepId;
  readonly mode: 'normal' | 'edit' | 'confirm' | 'help';
}

export type ResolvedKey = { readonly command: KeyCommand } | { readonly text: string } | undefined;

/**
 * The command for a key press: the mode's or step's own binding first, then the global one.
 * In edit mode, printable characters come back as text to insert.
 */
export function resolveKey(input: string, key: KeyPress, context: KeyContext): ResolvedKey {
  const scopes: KeyScope[] = context.mode === 'normal' ? [context.step, 'global'] : [context.mode];
  for (const scope of scopes)
    for (const b of KEY_TABLE)
      if (b.scope === scope && b.chords.some((ch) => matches(ch, input, key))) return { command: b.command };
  if (
    context.mode === 'edit' &&
    input.length > 0 &&
    !key.ctrl &&
    !key.escape &&
    !key.return &&
    /^[\x20-\x7e]+$/.test(input)
  )
    return { text: input };
  return undefined;
}

/** Bindings shown for a step: its own, then the global ones (help lists them all). */
export function bindingsFor(scope: KeyScope): KeyBinding[] {
  return KEY_TABLE.filter((b) => b.scope === scope);
}
