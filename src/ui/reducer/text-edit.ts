// Typing into a field: the buffer, checked as it is typed, and what Enter commits it into. A value
// that is not valid is refused: the field stays open with the reason until it is fixed or esc'd.
import { ACTIVATIONS, MAX_HIDDEN_UNITS, type Activation } from '../../core/model/spec.js';
import { hyperparameterFields } from '../fields.js';
import type { KeyCommand } from '../keys.js';
import type { AppState, EditState } from '../state.js';
import { setForm, validationError } from './hp-form.js';
import { checkLayerEdit, type Checked } from './layer-editor.js';
import { setSpec } from './model-spec.js';

/**
 * Ctrl+W: the buffer without its last word. A word ends at a space or a slash, so in a path it is one
 * folder level ("runs/2026-12-02" → "runs/"), as in zsh; trailing separators go with it.
 */
export function deleteLastWord(buffer: string): string {
  const trimmed = buffer.replace(/[\s/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf('/'));
  return trimmed.slice(0, cut + 1);
}

/** What committing `edit` would do: the state it makes, or why it can't. */
function check(state: AppState, edit: EditState): Checked {
  const layerEdit = checkLayerEdit(state, edit);
  if (layerEdit) return layerEdit;
  const text = edit.buffer.trim();
  if (edit.target === 'save.dir') {
    if (text === '') return { error: 'type a folder name' };
    return {
      apply: (s) => ({
        ...s,
        save: { ...s.save, dir: text, status: 'idle', result: undefined, error: undefined, exists: undefined },
      }),
    };
  }
  if (edit.target === 'model.finalActivation') {
    const name = text.toLowerCase() as Activation;
    if (!ACTIVATIONS.includes(name))
      return { error: `the final activation is one of ${ACTIVATIONS.join(', ')} (got '${edit.buffer}')` };
    return { apply: (s) => setSpec(s, { ...s.model.spec, finalActivation: name }) };
  }
  if (edit.target === 'model.units') {
    const n = Number(text);
    if (text === '' || !Number.isInteger(n) || n < 1 || n > MAX_HIDDEN_UNITS)
      return { error: `size must be a whole number from 1 to ${MAX_HIDDEN_UNITS} (got '${edit.buffer}')` };
    const i = state.model.selected;
    const hidden = state.model.spec.hidden.map((l, j) => (j === i ? { ...l, units: n } : l));
    return { apply: (s) => setSpec(s, { ...s.model.spec, hidden }) };
  }
  const field = hyperparameterFields(state.hp.form).find((f) => f.id === edit.target);
  if (!field) return { apply: (s) => s };
  try {
    const form = field.parse(state.hp.form, edit.buffer);
    // Refused only for a problem this value brings (not one another field already had).
    const error = validationError(state, form);
    if (error && error !== validationError(state, state.hp.form)) return { error };
    return { apply: (s) => setForm(s, form) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** The buffer changed: keep it, with the reason it would be refused (none while empty). */
function retype(state: AppState, buffer: string): AppState {
  const edit: EditState = { ...state.edit!, buffer, error: undefined, replace: undefined };
  const checked = buffer.trim() === '' ? undefined : check(state, edit);
  return { ...state, edit: checked && 'error' in checked ? { ...edit, error: checked.error } : edit };
}

/** Typed or pasted text goes into the field being edited. */
export function typeText(state: AppState, text: string): AppState {
  if (!state.edit) return state;
  return retype(state, state.edit.replace ? text : state.edit.buffer + text);
}

export function editCommand(state: AppState, cmd: KeyCommand): AppState {
  const edit = state.edit!;
  switch (cmd) {
    case 'editCancel':
      return { ...state, edit: undefined };
    case 'editBackspace':
      return retype(state, [...edit.buffer].slice(0, -1).join(''));
    case 'editClearLine':
      return retype(state, '');
    case 'editDeleteWord':
      return retype(state, deleteLastWord(edit.buffer));
    case 'editCommit': {
      const checked = check(state, edit);
      if ('error' in checked) return { ...state, edit: { ...edit, error: checked.error } };
      const next = checked.apply({ ...state, edit: undefined });
      return next.hp.warning && next.hp.warning !== state.hp.warning ? { ...next, status: next.hp.warning } : next;
    }
    default:
      return state;
  }
}
