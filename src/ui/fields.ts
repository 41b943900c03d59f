// The Hyperparameters step's fields as data: how each is shown, stepped with ←/→ and parsed
// from typed text. Pure; the reducer applies them, the screen lists them.
import { defaultSchedule } from '../config/index.js';
import { ENGINE_NAMES, type EngineName } from '../core/train/engine.js';
import {
  LOSSES,
  OPTIMIZERS,
  OPTIMIZER_DEFAULTS,
  SCHEDULES,
  type Hyperparameters,
  type OptimizerName,
  type Schedule,
  type ScheduleName,
} from '../core/train/hyperparameters.js';
import { formatLearningRate } from '../core/format.js';
import { recipeFields } from './recipe-fields.js';

export interface HpForm {
  readonly hyperparameters: Hyperparameters;
  readonly engine: EngineName;
}

export interface Field {
  readonly id: string;
  readonly label: string;
  /** One line of help shown under the list when selected. */
  readonly hint: string;
  show(form: HpForm): string;
  /** ←/→: dir is -1 or +1. */
  step(form: HpForm, dir: 1 | -1): HpForm;
  /** Typed text → a new form; throws Error with a one-line reason when the text is not a value of this field. */
  parse(form: HpForm, text: string): HpForm;
}

const LR_LADDER = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1];

function ladderStep(ladder: readonly number[], value: number, dir: 1 | -1): number {
  if (dir > 0) return ladder.find((x) => x > value * (1 + 1e-9)) ?? value;
  return [...ladder].reverse().find((x) => x < value * (1 - 1e-9)) ?? value;
}
const round = (x: number, digits = 6) => Number(x.toFixed(digits));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function num(text: string, what: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`${what} must be a number (got '${text}')`);
  return n;
}
function bool(text: string, what: string): boolean {
  const t = text.trim().toLowerCase();
  if (['on', 'true', 'yes', 'y', '1'].includes(t)) return true;
  if (['off', 'false', 'no', 'n', '0'].includes(t)) return false;
  throw new Error(`${what} is on or off (got '${text}')`);
}
function choice<T extends string>(text: string, choices: readonly T[], what: string): T {
  const t = text.trim().toLowerCase() as T;
  if (!choices.includes(t)) throw new Error(`${what}: unknown value '${text}' (choose ${choices.join(', ')})`);
  return t;
}
function cycle<T>(choices: readonly T[], value: T, dir: 1 | -1): T {
  const i = choices.indexOf(value);
  return choices[(i + dir + choices.length) % choices.length];
}

const withHp = (form: HpForm, patch: Partial<Hyperparameters>): HpForm => ({
  ...form,
  hyperparameters: { ...form.hyperparameters, ...patch },
});
const withOpt = (form: HpForm, patch: Record<string, number | boolean>): HpForm =>
  withHp(form, { optimizer: { ...form.hyperparameters.optimizer, ...patch } as Hyperparameters['optimizer'] });
const withSchedule = (form: HpForm, patch: Record<string, number>): HpForm =>
  withHp(form, { schedule: { ...form.hyperparameters.schedule, ...patch } as Schedule });

// A newly chosen schedule starts from config's defaults (the command line's: every 3 epochs × 0.1).
const scheduleOf = (kind: ScheduleName, hp: Hyperparameters): Schedule => defaultSchedule(kind, hp.batchSize);

const optNumber = (id: string, label: string, hint: string, delta: number, lo: number, hi: number): Field => ({
  id: `optimizer.${id}`,
  label,
  hint,
  show: (f) => String((f.hyperparameters.optimizer as unknown as Record<string, number>)[id]),
  step: (f, dir) =>
    withOpt(f, {
      [id]: round(clamp((f.hyperparameters.optimizer as unknown as Record<string, number>)[id] + dir * delta, lo, hi)),
    }),
  parse: (f, t) => withOpt(f, { [id]: num(t, label) }),
});
const optBool = (id: string, label: string, hint: string): Field => ({
  id: `optimizer.${id}`,
  label,
  hint,
  show: (f) => ((f.hyperparameters.optimizer as unknown as Record<string, boolean>)[id] ? 'on' : 'off'),
  step: (f) => withOpt(f, { [id]: !(f.hyperparameters.optimizer as unknown as Record<string, boolean>)[id] }),
  parse: (f, t) => withOpt(f, { [id]: bool(t, label) }),
});
const optEps = (): Field => ({
  id: 'optimizer.eps',
  label: 'eps',
  hint: 'added to the denominator for numerical stability',
  show: (f) => formatLearningRate((f.hyperparameters.optimizer as { eps: number }).eps),
  step: (f, dir) => withOpt(f, { eps: (f.hyperparameters.optimizer as { eps: number }).eps * (dir > 0 ? 10 : 0.1) }),
  parse: (f, t) => withOpt(f, { eps: num(t, 'eps') }),
});

const BASE_FIELDS: Field[] = [
  {
    id: 'learningRate',
    label: 'learning rate',
    hint: "step size of each update; the seed's 1e-3 is slow for SGD",
    show: (f) => formatLearningRate(f.hyperparameters.learningRate),
    step: (f, dir) => withHp(f, { learningRate: ladderStep(LR_LADDER, f.hyperparameters.learningRate, dir) }),
    parse: (f, t) => withHp(f, { learningRate: num(t, 'learning rate') }),
  },
  {
    id: 'batchSize',
    label: 'batch size',
    hint: 'images per optimizer step',
    show: (f) => String(f.hyperparameters.batchSize),
    step: (f, dir) =>
      withHp(f, {
        batchSize: Math.max(1, dir > 0 ? f.hyperparameters.batchSize * 2 : Math.floor(f.hyperparameters.batchSize / 2)),
      }),
    parse: (f, t) => withHp(f, { batchSize: num(t, 'batch size') }),
  },
  {
    id: 'epochs',
    label: 'epochs',
    hint: 'passes over the training set (+ adds one while training)',
    show: (f) => String(f.hyperparameters.epochs),
    step: (f, dir) => withHp(f, { epochs: Math.max(1, f.hyperparameters.epochs + dir) }),
    parse: (f, t) => withHp(f, { epochs: num(t, 'epochs') }),
  },
  {
    id: 'optimizer',
    label: 'optimizer',
    hint: 'sgd, adam or rmsprop (torch.optim defaults)',
    show: (f) => f.hyperparameters.optimizer.kind,
    step: (f, dir) =>
      withHp(f, { optimizer: OPTIMIZER_DEFAULTS[cycle(OPTIMIZERS, f.hyperparameters.optimizer.kind, dir)] }),
    parse: (f, t) => withHp(f, { optimizer: OPTIMIZER_DEFAULTS[choice<OptimizerName>(t, OPTIMIZERS, 'optimizer')] }),
  },
];

const OPTIMIZER_FIELDS: Record<OptimizerName, Field[]> = {
  sgd: [
    optNumber('momentum', 'momentum', 'fraction of the previous update kept (0 = plain SGD)', 0.1, 0, 0.99),
    optNumber('dampening', 'dampening', 'damps the momentum term', 0.1, 0, 1),
    optBool('nesterov', 'nesterov', 'Nesterov momentum (needs momentum > 0, dampening 0)'),
    optNumber('weightDecay', 'weight decay', 'L2 penalty', 1e-4, 0, 1),
  ],
  adam: [
    optNumber('beta1', 'beta1', 'decay of the first-moment estimate', 0.01, 0, 0.999),
    optNumber('beta2', 'beta2', 'decay of the second-moment estimate', 0.001, 0, 0.9999),
    optEps(),
    optNumber('weightDecay', 'weight decay', 'L2 penalty', 1e-4, 0, 1),
    optBool('amsgrad', 'amsgrad', 'keep the maximum of the second moments'),
  ],
  rmsprop: [
    optNumber('alpha', 'alpha', 'smoothing constant', 0.01, 0, 1),
    optEps(),
    optNumber('weightDecay', 'weight decay', 'L2 penalty', 1e-4, 0, 1),
    optNumber('momentum', 'momentum', 'momentum factor', 0.1, 0, 0.99),
    optBool('centered', 'centered', 'normalise by the estimated variance of the gradient'),
  ],
  adamw: [
    optNumber('beta1', 'beta1', 'decay of the first-moment estimate', 0.01, 0, 0.999),
    optNumber('beta2', 'beta2', 'decay of the second-moment estimate', 0.001, 0, 0.9999),
    optEps(),
    optNumber('weightDecay', 'weight decay', 'decoupled: weights shrink by lr·decay each step', 1e-3, 0, 1),
    optBool('amsgrad', 'amsgrad', 'keep the maximum of the second moments'),
  ],
};

const TAIL_FIELDS: Field[] = [
  {
    id: 'loss',
    label: 'loss',
    hint: 'cross_entropy on logits; nll adds LogSoftmax to the model; mse against one-hot',
    show: (f) => f.hyperparameters.loss,
    step: (f, dir) => withHp(f, { loss: cycle(LOSSES, f.hyperparameters.loss, dir) }),
    parse: (f, t) => withHp(f, { loss: choice(t, LOSSES, 'loss') }),
  },
  {
    id: 'schedule',
    label: 'schedule',
    hint: 'learning rate over the run: constant, step (StepLR), cosine (CosineAnnealingLR), onecycle (OneCycleLR)',
    show: (f) => f.hyperparameters.schedule.kind,
    step: (f, dir) =>
      withHp(f, {
        schedule: scheduleOf(cycle(SCHEDULES, f.hyperparameters.schedule.kind, dir), f.hyperparameters),
      }),
    parse: (f, t) => withHp(f, { schedule: scheduleOf(choice(t, SCHEDULES, 'schedule'), f.hyperparameters) }),
  },
];

const SCHEDULE_FIELDS: Record<ScheduleName, Field[]> = {
  constant: [],
  onecycle: [],
  step: [
    {
      id: 'schedule.stepSize',
      label: 'step size',
      hint: 'optimizer steps between learning-rate drops',
      show: (f) => String((f.hyperparameters.schedule as { stepSize: number }).stepSize),
      step: (f, dir) =>
        withSchedule(f, {
          stepSize: Math.max(
            1,
            Math.round((f.hyperparameters.schedule as { stepSize: number }).stepSize * (dir > 0 ? 2 : 0.5)),
          ),
        }),
      parse: (f, t) => withSchedule(f, { stepSize: num(t, 'step size') }),
    },
    {
      id: 'schedule.gamma',
      label: 'gamma',
      hint: 'factor applied at each drop',
      show: (f) => String((f.hyperparameters.schedule as { gamma: number }).gamma),
      step: (f, dir) =>
        withSchedule(f, {
          gamma: round(clamp((f.hyperparameters.schedule as { gamma: number }).gamma + dir * 0.1, 0.1, 1)),
        }),
      parse: (f, t) => withSchedule(f, { gamma: num(t, 'gamma') }),
    },
  ],
  cosine: [
    {
      id: 'schedule.tMax',
      label: 'T max',
      hint: 'optimizer steps in one half cosine (0 = the whole run)',
      show: (f) => {
        const t = (f.hyperparameters.schedule as { tMax: number }).tMax;
        return t === 0 ? '0 (whole run)' : String(t);
      },
      step: (f, dir) => {
        const t = (f.hyperparameters.schedule as { tMax: number }).tMax;
        return withSchedule(f, { tMax: dir > 0 ? (t === 0 ? 1000 : t * 2) : t <= 1000 ? 0 : Math.round(t / 2) });
      },
      parse: (f, t) => withSchedule(f, { tMax: num(t, 'T max') }),
    },
    {
      id: 'schedule.etaMin',
      label: 'eta min',
      hint: 'lowest learning rate',
      show: (f) => formatLearningRate((f.hyperparameters.schedule as { etaMin: number }).etaMin),
      step: (f, dir) => {
        const e = (f.hyperparameters.schedule as { etaMin: number }).etaMin;
        return withSchedule(f, { etaMin: dir > 0 ? (e === 0 ? 1e-5 : e * 10) : e <= 1e-5 ? 0 : e / 10 });
      },
      parse: (f, t) => withSchedule(f, { etaMin: num(t, 'eta min') }),
    },
  ],
};

const LAST_FIELDS: Field[] = [
  {
    id: 'shuffle',
    label: 'shuffle',
    hint: "the seed's DataLoader does not shuffle; on = a seeded order per epoch",
    show: (f) => (f.hyperparameters.shuffle ? 'on' : 'off'),
    step: (f) => withHp(f, { shuffle: !f.hyperparameters.shuffle }),
    parse: (f, t) => withHp(f, { shuffle: bool(t, 'shuffle') }),
  },
  {
    id: 'seed',
    label: 'seed',
    hint: 'seeds initial weights, shuffling and dropout',
    show: (f) => String(f.hyperparameters.seed),
    step: (f, dir) => withHp(f, { seed: Math.max(0, f.hyperparameters.seed + dir) }),
    parse: (f, t) => withHp(f, { seed: num(t, 'seed') }),
  },
  {
    id: 'engine',
    label: 'engine',
    hint: 'onnx: onnxruntime-node (fast, default); tfjs: TensorFlow.js (much slower here)',
    show: (f) => f.engine,
    step: (f, dir) => ({ ...f, engine: cycle(ENGINE_NAMES, f.engine, dir) }),
    parse: (f, t) => ({ ...f, engine: choice(t, ENGINE_NAMES, 'engine') }),
  },
];

/** The fields shown for this form (optimizer and schedule parameters follow their choice). */
export function hyperparameterFields(form: HpForm): Field[] {
  const hp = form.hyperparameters;
  return [
    ...BASE_FIELDS,
    ...OPTIMIZER_FIELDS[hp.optimizer.kind],
    ...TAIL_FIELDS,
    ...SCHEDULE_FIELDS[hp.schedule.kind],
    ...recipeFields(form),
    ...LAST_FIELDS,
  ];
}
