// The Hyperparameters step's training-recipe fields: warm-up, label smoothing, augmentation, the
// validation split and early stopping. Same shape as ui/fields.ts' fields (which lists these).
import { formatAugment, hasAugment, parseAugment, type Augment } from '../core/train/augment.js';
import { MONITORS, type Hyperparameters, type Schedule } from '../core/train/hyperparameters.js';

/** ui/fields.ts' form and field shapes, restated here so the two modules do not import each other. */
interface HpForm {
  readonly hyperparameters: Hyperparameters;
}
interface Field {
  readonly id: string;
  readonly label: string;
  readonly hint: string;
  show(form: HpForm): string;
  step<F extends HpForm>(form: F, dir: 1 | -1): F;
  parse<F extends HpForm>(form: F, text: string): F;
}

const withHp = <F extends HpForm>(form: F, patch: Partial<Hyperparameters>): F => ({
  ...form,
  hyperparameters: { ...form.hyperparameters, ...patch },
});
/** A patch that may remove an optional field (undefined removes it, so settings keep the seed's shape). */
function withOptional<F extends HpForm, K extends 'labelSmoothing' | 'validation' | 'earlyStop' | 'augment'>(
  form: F,
  key: K,
  value: Hyperparameters[K] | undefined,
): F {
  const rest: Record<string, unknown> = { ...form.hyperparameters };
  delete rest[key];
  if (value !== undefined) rest[key] = value;
  return { ...form, hyperparameters: rest as unknown as Hyperparameters };
}

function wholeNumber(text: string, what: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(n) || n < 0)
    throw new Error(`${what} must be a whole number of at least 0 (got '${text}')`);
  return n;
}
function fraction(text: string, what: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`${what} must be a number (got '${text}')`);
  return n;
}
function nextIn(ladder: readonly number[], value: number, dir: 1 | -1): number {
  if (dir > 0) return ladder.find((x) => x > value) ?? ladder[ladder.length - 1];
  return [...ladder].reverse().find((x) => x < value) ?? ladder[0];
}

const WARMUP_STEPS = [0, 100, 250, 500, 1000, 2000, 5000];
const SMOOTHING = [0, 0.05, 0.1, 0.15, 0.2, 0.3];
const VALIDATION = [0, 1000, 5000, 10000];
const PATIENCE = [0, 1, 2, 3, 5, 10];
const AUGMENTS: readonly string[] = ['none', 'flip', 'crop:2', 'flip,crop:2', 'flip,crop:2,erase'];

const warmupOf = (s: Schedule) => (s.kind === 'onecycle' ? 0 : (s.warmupSteps ?? 0));
const withWarmup = <F extends HpForm>(f: F, steps: number): F => {
  const s = f.hyperparameters.schedule;
  if (s.kind === 'onecycle') return f;
  const { warmupSteps: _w, ...rest } = s;
  return withHp(f, { schedule: (steps > 0 ? { ...rest, warmupSteps: steps } : rest) as Schedule });
};

const WARMUP: Field = {
  id: 'schedule.warmupSteps',
  label: 'warm-up',
  hint: "optimizer steps of linear warm-up before the schedule (torch's LinearLR, then SequentialLR); 0 = none",
  show: (f) => String(warmupOf(f.hyperparameters.schedule)),
  step: (f, dir) => withWarmup(f, nextIn(WARMUP_STEPS, warmupOf(f.hyperparameters.schedule), dir)),
  parse: (f, t) => withWarmup(f, wholeNumber(t, 'warm-up')),
};

const LABEL_SMOOTHING: Field = {
  id: 'labelSmoothing',
  label: 'label smoothing',
  hint: "cross_entropy against (1 - x)·one-hot + x/10 (torch's label_smoothing); 0 = none",
  show: (f) => String(f.hyperparameters.labelSmoothing ?? 0),
  step: (f, dir) => {
    const x = nextIn(SMOOTHING, f.hyperparameters.labelSmoothing ?? 0, dir);
    return withOptional(f, 'labelSmoothing', x > 0 ? x : undefined);
  },
  parse: (f, t) => {
    const x = fraction(t, 'label smoothing');
    return withOptional(f, 'labelSmoothing', x !== 0 ? x : undefined);
  },
};

const withAugment = <F extends HpForm>(f: F, a: Augment): F =>
  withOptional(f, 'augment', hasAugment(a) ? a : undefined);
const AUGMENT: Field = {
  id: 'augment',
  label: 'augmentation',
  hint: 'training images only: flip, crop:K (shift ≤ K px), erase (torchvision); type e.g. flip,crop:2,erase',
  show: (f) => formatAugment(f.hyperparameters.augment),
  step: (f, dir) => {
    const i = AUGMENTS.indexOf(formatAugment(f.hyperparameters.augment));
    const next = AUGMENTS[(Math.max(0, i) + dir + AUGMENTS.length) % AUGMENTS.length];
    return withAugment(f, parseAugment(next));
  },
  parse: (f, t) => withAugment(f, parseAugment(t)),
};

const VALIDATION_FIELD: Field = {
  id: 'validation',
  label: 'validation',
  hint: 'training images held out (class-balanced, from the seed) to score epochs on; 0 = none',
  show: (f) => String(f.hyperparameters.validation ?? 0),
  step: (f, dir) => {
    const n = nextIn(VALIDATION, f.hyperparameters.validation ?? 0, dir);
    return withOptional(f, 'validation', n > 0 ? n : undefined);
  },
  parse: (f, t) => {
    const n = wholeNumber(t, 'validation');
    return withOptional(f, 'validation', n > 0 ? n : undefined);
  },
};

const monitorOf = (f: HpForm) => f.hyperparameters.earlyStop?.monitor ?? 'loss';
const EARLY_STOP: Field = {
  id: 'earlyStop.patience',
  label: 'early stop',
  hint: 'stop after this many epochs without a better held-out loss or accuracy; 0 = off',
  show: (f) => (f.hyperparameters.earlyStop ? `${f.hyperparameters.earlyStop.patience} epochs` : 'off'),
  step: (f, dir) => {
    const p = nextIn(PATIENCE, f.hyperparameters.earlyStop?.patience ?? 0, dir);
    return withOptional(f, 'earlyStop', p > 0 ? { patience: p, monitor: monitorOf(f) } : undefined);
  },
  parse: (f, t) => {
    const p = t.trim() === 'off' ? 0 : wholeNumber(t, 'early stop');
    return withOptional(f, 'earlyStop', p > 0 ? { patience: p, monitor: monitorOf(f) } : undefined);
  },
};
const MONITOR: Field = {
  id: 'earlyStop.monitor',
  label: 'monitor',
  hint: 'what early stopping and the best epoch follow: held-out loss or accuracy (validation, else test)',
  show: monitorOf,
  step: (f) => {
    const e = f.hyperparameters.earlyStop;
    return e ? withHp(f, { earlyStop: { ...e, monitor: e.monitor === 'loss' ? 'accuracy' : 'loss' } }) : f;
  },
  parse: (f, t) => {
    const m = t.trim() as (typeof MONITORS)[number];
    if (!MONITORS.includes(m)) throw new Error(`monitor: unknown value '${t}' (choose ${MONITORS.join(', ')})`);
    const e = f.hyperparameters.earlyStop;
    return e ? withHp(f, { earlyStop: { ...e, monitor: m } }) : f;
  },
};

/** The recipe fields that apply to this form (warm-up not with one-cycle, smoothing with cross_entropy only). */
export function recipeFields(form: HpForm): Field[] {
  const hp = form.hyperparameters;
  return [
    ...(hp.schedule.kind !== 'onecycle' ? [WARMUP] : []),
    ...(hp.loss === 'cross_entropy' ? [LABEL_SMOOTHING] : []),
    AUGMENT,
    VALIDATION_FIELD,
    EARLY_STOP,
    ...(hp.earlyStop ? [MONITOR] : []),
  ];
}
