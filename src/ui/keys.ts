// Every key the app understands, in one table (after gemini-cli's keyBindings.ts).
// Screens never test keys themselves: useInput → resolveKey → a command → the reducer.
import { KEY_TABLE } from './key-table.js';
import type { KeyBinding, KeyChord, KeyCommand, KeyPress, KeyScope } from './key-types.js';
import type { StepId } from './state.js';

export { KEY_TABLE } from './key-table.js';
export type { KeyBinding, KeyChord, KeyCommand, KeyPress, KeyScope, SpecialKey } from './key-types.js';

function matches(chord: KeyChord, input: string, key: KeyPress): boolean {
  if (chord.key) return key[chord.key] === true && !key.ctrl && (!chord.shift || key.shift === true);
  if (chord.ctrl) return key.ctrl === true && input === chord.input;
  return !key.ctrl && input === chord.input;
}

/** The mode that owns the keyboard right now: help, the quit question, typing, or a step. */
export interface KeyContext {
  readonly step: StepId;
  readonly mode: 'normal' | 'edit' | 'confirm' | 'help' | 'analysis' | 'runs' | 'picker';
}

export type ResolvedKey = { readonly command: KeyCommand } | { readonly text: string } | undefined;

/**
 * The command for a key press: the mode's or step's own binding first, then the global one.
 * In edit mode, printable characters come back as text to insert (in the layer picker: to jump by).
 */
export function resolveKey(input: string, key: KeyPress, context: KeyContext): ResolvedKey {
  const scopes: KeyScope[] = context.mode === 'normal' ? [context.step, 'global'] : [context.mode];
  for (const scope of scopes)
    for (const b of KEY_TABLE)
      if (b.scope === scope && b.chords.some((ch) => matches(ch, input, key))) return { command: b.command };
  if (
    (context.mode === 'edit' || context.mode === 'picker') &&
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
