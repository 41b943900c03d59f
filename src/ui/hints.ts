// The hint line under each screen, derived from the key table (keys.ts): which of the bindings in
// force now are worth a hint, and what Enter / Esc / space mean in this state.
import { isLayerList, type ModelSpec } from '../core/model/spec.js';
import { bindingsFor, type KeyBinding, type KeyCommand, type KeyScope } from './keys.js';
import { keyMode } from './reducer.js';
import { isTraining } from './reducer/transitions.js';
import type { AppState } from './state.js';

/** [key, what it does]: one entry of the hint line. */
export type Hint = readonly [key: string, what: string];

/** Per command: the word to show instead of the table's hint; null hides the hint. */
type Words = Partial<Record<KeyCommand, string | null>>;

const GLOBAL_FIRST: readonly KeyCommand[] = ['next'];
const GLOBAL_LAST: readonly KeyCommand[] = ['up', 'back', 'quit', 'help'];

/** What the keys mean in this state, where it differs from the table (and which keys are idle). */
function words(s: AppState): { words: Words; only?: readonly KeyCommand[] } {
  const done = (status: string, then: string, now: string) => (status === 'done' ? then : now);
  switch (s.step) {
    case 'data':
      return { words: { next: s.data.status === 'error' ? 'retry' : 'next: model', back: null, up: null } };
    case 'model':
      return {
        words: { up: null, back: null, ...Object.fromEntries(idleModelKeys(s.model.spec).map((c) => [c, null])) },
      };
    case 'hyperparameters': {
      const tune = s.hp.tune.status;
      if (tune !== 'idle')
        return {
          words: { next: tune === 'found' || (tune === 'searched' && s.hp.tune.best) ? 'apply' : null, back: 'close' },
          only: ['next', 'back', 'help'],
        };
      return { words: { next: 'train', up: 'field' } };
    }
    case 'train':
      if (isTraining(s))
        return {
          words: { next: null, back: null, up: null, pauseResume: s.train.status === 'paused' ? 'resume' : 'pause' },
        };
      return {
        words: { next: s.train.status === 'error' ? 'back' : 'next: save', up: null },
        only: ['next', 'charts', 'back', 'quit', 'help'],
      };
    case 'save':
      return {
        words: {
          next: done(s.save.status, 'next: export', 'save'),
          up: null,
          overwrite: s.save.exists ? undefined : null,
        },
      };
    case 'export':
      return {
        words: {
          next: done(s.export.status, 'next: verify', 'export'),
          up: null,
          overwrite: s.export.exists ? undefined : null,
        },
      };
    case 'verify':
      return { words: { next: done(s.verify.status, 'finish', 'verify'), up: null } };
  }
}

/**
 * The Model step's keys that do nothing for this form of the model (left out of the hints and the
 * help): a layer list moves its layers; the MLP form has an activation and a dropout per row instead.
 */
export function idleModelKeys(spec: ModelSpec): KeyCommand[] {
  return isLayerList(spec) ? ['cycleActivation', 'cycleDropout'] : ['moveUp', 'moveDown'];
}

const hintOf = (b: KeyBinding, word: string | null | undefined): Hint | undefined => {
  const what = word === undefined ? b.hint : word;
  return what ? [b.hintLabel ?? b.label, what] : undefined;
};

// (Not flatMap: a Hint is itself an array and would be flattened.)
const present = (hints: readonly (Hint | undefined)[]): Hint[] => hints.filter((h): h is Hint => h !== undefined);

/** The hint line for this state, most important first; the help key (if any) last. */
export function hintsFor(s: AppState): Hint[] {
  const mode = keyMode(s);
  if (mode !== 'normal') {
    const yes = s.question === 'retrainUnsaved' ? 'train anew' : 'quit';
    return present(bindingsFor(mode).map((b) => hintOf(b, b.command === 'confirmYes' ? yes : undefined)));
  }
  const { words: w, only } = words(s);
  const global = bindingsFor('global');
  const pick = (scope: KeyScope | readonly KeyBinding[], commands?: readonly KeyCommand[]) =>
    (typeof scope === 'string' ? bindingsFor(scope) : scope)
      .filter((b) => !commands || commands.includes(b.command))
      .filter((b) => !only || only.includes(b.command));
  const ordered = [
    ...GLOBAL_FIRST.flatMap((c) => pick(global, [c])),
    ...pick(s.step),
    ...GLOBAL_LAST.flatMap((c) => pick(global, [c])),
  ];
  const seen = new Set<KeyCommand>();
  return present(
    ordered.map((b) => {
      if (seen.has(b.command)) return undefined;
      seen.add(b.command);
      return hintOf(b, w[b.command]);
    }),
  );
}

const SEPARATOR = ' · ';
const widthOf = (hints: readonly Hint[]) =>
  hints.reduce((n, [k, what], i) => n + k.length + 1 + what.length + (i > 0 ? SEPARATOR.length : 0), 0);

/**
 * The hints that fit in `columns`: the last one (the help key, the way to see the rest) always stays,
 * the others are dropped from the end, least important first.
 */
export function fitHints(hints: readonly Hint[], columns: number): Hint[] {
  if (widthOf(hints) <= columns || hints.length <= 1) return [...hints];
  const last = hints[hints.length - 1];
  const rest = hints.slice(0, -1);
  while (rest.length > 1 && widthOf([...rest, last]) > columns) rest.pop();
  return [...rest, last];
}
