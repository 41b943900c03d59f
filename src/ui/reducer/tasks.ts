// Save → Export → Verify: each step's task runs once, Enter retries a failure or moves on.
import type { KeyCommand } from '../keys.js';
import type { AppState } from '../state.js';
import { exit, goto, withEffects } from './transitions.js';

const OVERWRITE_OR_RENAME = 'o overwrites the saved run · e types another folder';

export function taskCommand(state: AppState, cmd: KeyCommand): AppState {
  if (cmd === 'back') return goto(state, -1);
  if (state.step === 'save') {
    if (cmd === 'edit' && state.save.status !== 'working')
      return { ...state, edit: { target: 'save.dir', buffer: state.save.dir } };
    if (cmd === 'overwrite' && state.save.exists)
      return withEffects(
        { ...state, save: { ...state.save, status: 'working', error: undefined, exists: undefined } },
        { kind: 'save', overwrite: true },
      );
    if (cmd !== 'next') return state;
    if (state.save.exists) return { ...state, status: OVERWRITE_OR_RENAME };
    if (state.save.status === 'idle' || state.save.status === 'error')
      return withEffects({ ...state, save: { ...state.save, status: 'working', error: undefined } }, { kind: 'save' });
    if (state.save.status === 'done') {
      const next = { ...state, step: 'export' as const };
      return state.export.status === 'done'
        ? next
        : withEffects({ ...next, export: { status: 'working' } }, { kind: 'export' });
    }
    return state;
  }
  if (state.step === 'export') {
    if (cmd === 'overwrite' && state.export.exists)
      return withEffects({ ...state, export: { status: 'working' } }, { kind: 'export', overwrite: true });
    if (cmd !== 'next') return state;
    if (state.export.exists) return { ...state, status: 'o replaces the model.onnx there · esc goes back to Save' };
    if (state.export.status === 'error' || state.export.status === 'idle')
      return withEffects({ ...state, export: { status: 'working' } }, { kind: 'export' });
    if (state.export.status === 'done') {
      const next = { ...state, step: 'verify' as const };
      return state.verify.status === 'done'
        ? next
        : withEffects({ ...next, verify: { status: 'working' } }, { kind: 'verify' });
    }
    return state;
  }
  // verify
  if (cmd !== 'next') return state;
  if (state.verify.status === 'error' || state.verify.status === 'idle')
    return withEffects({ ...state, verify: { status: 'working' } }, { kind: 'verify' });
  if (state.verify.status === 'done') return exit(state, 0);
  return state;
}
