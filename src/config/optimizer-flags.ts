import { UsageError } from '../core/errors.js';
import { formatList } from '../core/format.js';
import {
  OPTIMIZER_DEFAULTS,
  type OptimizerName,
  type OptimizerOptions,
  type Schedule,
} from '../core/train/hyperparameters.js';
import { flagSpec, type TrainFlagValues, trainFlagsWhere } from './flag-lookup.js';
import type { TrainFlagName } from './flags.js';
import { parseNumber } from './parse-args.js';

import { helpPointer as pointer } from './parse-args.js';

/** A flag given for another optimizer or schedule than the one chosen: one line naming who takes it. */
export function checkOwners(values: TrainFlagValues, optimizer: OptimizerName, schedule: Schedule['kind']): void {
  for (const name of trainFlagsWhere((s) => s.optimizers !== undefined)) {
    const takers = flagSpec(name).optimizers!;
    if (values[name] !== undefined && !takers.includes(optimizer))
      throw new UsageError(
        `--${name} applies to ${formatList([...takers])}, not ${optimizer} (choose one with --optimizer) ${pointer('train')}`,
      );
  }
  for (const name of trainFlagsWhere((s) => s.schedule !== undefined)) {
    const owner = flagSpec(name).schedule;
    if (values[name] !== undefined && owner !== schedule)
      throw new UsageError(`--${name} applies to --schedule ${owner}, not ${schedule} ${pointer('train')}`);
  }
}

export function buildOptimizer(values: TrainFlagValues, kind: OptimizerName, base: OptimizerOptions): OptimizerOptions {
  const num = (name: TrainFlagName, fallback: number) =>
    parseNumber(`--${name}`, values[name] as string | undefined, fallback);
  switch (kind) {
    case 'sgd': {
      const d = base.kind === kind ? base : OPTIMIZER_DEFAULTS.sgd;
      return {
        kind,
        momentum: num('momentum', d.momentum),
        dampening: num('dampening', d.dampening),
        nesterov: values.nesterov ?? d.nesterov,
        weightDecay: num('weight-decay', d.weightDecay),
      };
    }
    case 'adam':
    case 'adamw': {
      const d = base.kind === kind ? base : OPTIMIZER_DEFAULTS[kind];
      return {
        kind,
        beta1: num('beta1', d.beta1),
        beta2: num('beta2', d.beta2),
        eps: num('eps', d.eps),
        weightDecay: num('weight-decay', d.weightDecay),
        amsgrad: values.amsgrad ?? d.amsgrad,
      };
    }
    case 'rmsprop': {
      const d = base.kind === kind ? base : OPTIMIZER_DEFAULTS.rmsprop;
      return {
        kind,
        alpha: num('alpha', d.alpha),
        eps: num('eps', d.eps),
        weightDecay: num('weight-decay', d.weightDecay),
        momentum: num('momentum', d.momentum),
        centered: values.centered ?? d.centered,
      };
    }
  }
}
