import { defaultRunFolder, parseTrainFlags, type TrainFlagName } from '../commands/train-flags.js';
import { UsageError } from '../core/errors.js';
import type { StoredSettings } from '../io/settings.js';
import type { InitialOptions } from './state.js';

const MODEL_FLAGS: readonly TrainFlagName[] = ['preset', 'hidden', 'activation', 'final-activation', 'dropout'];
const HP_FLAGS: readonly TrainFlagName[] = [
  'epochs',
  'lr',
  'batch-size',
  'optimizer',
  'momentum',
  'dampening',
  'nesterov',
  'weight-decay',
  'beta1',
  'beta2',
  'eps',
  'amsgrad',
  'alpha',
  'centered',
  'loss',
  'schedule',
  'step-size',
  'gamma',
  'eta-min',
  'shuffle',
  'seed',
];
const NOT_INTERACTIVE: readonly TrainFlagName[] = ['json', 'resume', 'init-weights'];

/**
 * What the app starts from: the train flags given on the command line win, then the last-used
 * settings, then the seed program's values.
 */
export function prefill(
  argv: string[],
  stored: StoredSettings,
): Omit<InitialOptions, 'columns' | 'rows' | 'color'> & { dataDir?: string } {
  // The session takes train's flags: errors point at 'fmnist-tui train --help', which lists them.
  const { config } = parseTrainFlags(argv);
  const bad = NOT_INTERACTIVE.find((f) => config.explicit.includes(f));
  if (bad) throw new UsageError(`--${bad} is for 'fmnist-tui train', not the interactive session`);
  const given = (flags: readonly TrainFlagName[]) => flags.some((f) => config.explicit.includes(f));
  const spec = given(MODEL_FLAGS) ? config.spec : (stored.spec ?? config.spec);
  const hyperparameters = given(HP_FLAGS) ? config.hyperparameters : (stored.hyperparameters ?? config.hyperparameters);
  const logSoftmax = hyperparameters.loss === 'nll';
  return {
    spec: { ...spec, logSoftmax },
    hyperparameters,
    engine: given(['engine']) ? config.engine : (stored.engine ?? config.engine),
    saveDir: config.save ? config.save : defaultRunFolder(),
    dataDir: config.dataDir,
  };
}
