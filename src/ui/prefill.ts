import {
  defaultRunFolder,
  parseTrainFlags,
  type RunBase,
  SEED_RUN,
  specForLoss,
  type TrainFlagName,
  trainFlagsWhere,
} from '../config/index.js';
import { UsageError } from '../core/errors.js';
import type { StoredSettings } from '../io/settings.js';
import type { InitialOptions } from './state.js';

/** Train flags the session refuses (they only make sense for one `fmnist-tui train` run). */
const NOT_INTERACTIVE: readonly TrainFlagName[] = trainFlagsWhere((s) => s.session === false);

/**
 * What the app starts from: the last-used settings (or the seed program's), with the train flags given on
 * the command line changing only what they name: with batch 8 remembered, `--epochs 2` keeps batch 8.
 */
export function prefill(
  argv: string[],
  stored: StoredSettings,
): Omit<InitialOptions, 'columns' | 'rows' | 'color'> & { dataDir?: string } {
  const base: RunBase = {
    spec: stored.spec ?? SEED_RUN.spec,
    hyperparameters: stored.hyperparameters ?? SEED_RUN.hyperparameters,
    engine: stored.engine ?? SEED_RUN.engine,
  };
  // The session takes train's flags: errors point at 'fmnist-tui train --help', which lists them.
  const { config } = parseTrainFlags(argv, { base });
  const bad = NOT_INTERACTIVE.find((f) => config.explicit.includes(f));
  if (bad) throw new UsageError(`--${bad} is for 'fmnist-tui train', not the interactive session`);
  return {
    spec: specForLoss(config.spec, config.hyperparameters.loss),
    hyperparameters: config.hyperparameters,
    engine: config.engine,
    saveDir: config.save ? config.save : defaultRunFolder(),
    dataDir: config.dataDir,
  };
}
