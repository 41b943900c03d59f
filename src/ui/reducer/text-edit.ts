// Typing into a field: the buffer, and what Enter commits it into.
import { MAX_HIDDEN_UNITS } from '../../core/model/spec.js';
import { hyperparameterFields } from '../fields.js';
import type { KeyCommand } from '../keys.js';
import type { AppState } from '../state.js';
import { setForm } from './hp-form.js';
import { setSpec } from './model-editor.js';

/**
 * Ctrl+W: the buffer without its last word. A word ends at a space or a slash, so in a path it is one
 * folder level ("runs/2026-12-02" → "runs/"), as in zsh; trailing separators go with it.
 */
export function deleteLastWord(buffer: string): string {
  const trimmed = buffer.replace(/[\s/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf('/'));
  return trimmed.slice(0, cut + 1);
}

export function editCommand(state: AppState, cmd: KeyCommand): AppState {
  const edit = state.edit!;
  if (cmd === 'editCancel') return { ...state, edit: undefined };
  const setBuffer = (buffer: string): AppState => ({ ...state, edit: { ...edit, buffer, error: undefined } });
  if (cmd === 'editBackspace') return setBuffer([...edit.buffer].slice(0, -1).join(''));
  if (cmd === 'editClearLine') return setBuffer('');
  if (cmd === 'editDeleteWord') return setBuffer(deleteLastWord(edit.buffer));
  if (cmd !== 'editCommit') return state;
  const text = edit.buffer.trim();
  if (edit.target === 'save.dir') {
    if (text === '') return { ...state, edit: { ...edit, error: 'type a folder name' } };
    return {
      ...state,
      edit: undefined,
      save: { ...state.save, dir: text, status: 'idle', result: undefined, error: undefined, exists: undefined },
    };
  }
  if (edit.target === 'model.units') {
    const n = Number(text);
    if (text === '' || !Number.isInteger(n) || n < 1 || n > MAX_HIDDEN_UNITS)
      return {
        ...state,
        edit: { ...edit, error: `size must be a whole number from 1 to ${MAX_HIDDEN_UNITS} (got '${edit.buffer}')` },
      };
    const i = state.model.selected;
    const hidden = state.model.spec.hidden.map((l, j) => (j === i ? { ...l, units: n } : l));
    return { ...setSpec(state, { ...state.model.spec, hidden }), edit: undefined };
  }
  const field = hyperparameterFields(state.hp.form).find((f) => f.id === edit.target);
  if (!field) return { ...state, edit: undefined };
  try {
    const form = field.parse(state.hp.form, edit.buffer);
    return { ...setForm(state, form), edit: undefined };
  } catch (err) {
    return { ...state, edit: { ...edit, error: (err as Error).message } };
  }
}
