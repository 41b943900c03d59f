// The vocabulary of the key table: commands, key presses, chords, scopes and bindings.
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
  | 'overwrite'
  // data
  | 'retryData'
  // model
  | 'addLayer'
  | 'removeLayer'
  | 'cycleActivation'
  | 'cycleDropout'
  | 'cyclePreset'
  | 'moveUp'
  | 'moveDown'
  | 'editList'
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
  // insight: the analysis view (verify), charts (train), the Runs view (anywhere)
  | 'analysis'
  | 'charts'
  | 'runs'
  | 'closeView'
  | 'pagePrev'
  | 'pageNext'
  | 'markRun'
  | 'useRunSettings'
  // quit confirmation
  | 'confirmYes'
  | 'confirmNo'
  // text editing
  | 'editCommit'
  | 'editCancel'
  | 'editBackspace'
  | 'editClearLine'
  | 'editDeleteWord';

/** The subset of Ink's Key we match on. */
export interface KeyPress {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
}

export type SpecialKey =
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
  /** Shift held with a special key (shift+↑); a chord without it matches either way. */
  readonly shift?: boolean;
}

/** Where a binding applies: every step, one step, or a mode that takes over the keyboard. */
export type KeyScope = 'global' | StepId | 'edit' | 'confirm' | 'help' | 'analysis' | 'runs' | 'picker';

export interface KeyBinding {
  readonly command: KeyCommand;
  readonly scope: KeyScope;
  readonly chords: readonly KeyChord[];
  /** How the key is written in the help and the hint line. */
  readonly label: string;
  readonly description: string;
  /** A word or two for the hint line under the screen (absent: the key shows in the help only). */
  readonly hint?: string;
  /** The key as the hint line writes it, when it differs from `label` (one hint for ← and →). */
  readonly hintLabel?: string;
  /** Left out of the help: the binding before it names it too (↓/j beside ↑/k), so the help fits 24 rows. */
  readonly inHelp?: false;
}
