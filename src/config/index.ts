// What a run is: the flag schema and its defaults, shared by `train`, `tune`, the session's prefill and its
// Hyperparameters form. Pure (no I/O): every layer above core may import it.
export {
  DEFAULT_ENGINE,
  DEFAULT_GAMMA,
  DEFAULT_STEP_EPOCHS,
  defaultRunFolder,
  defaultSchedule,
  FULL_TRAIN_SIZE,
} from './defaults.js';
export { trainFlagHelp } from './flag-help.js';
export {
  flagSpec,
  TRAIN_FLAG_NAMES,
  TRAIN_FLAG_OPTIONS,
  type TrainFlagValues,
  trainFlagsWhere,
} from './flag-lookup.js';
export type { FlagGroup, FlagSpec } from './flag-spec.js';
export { TRAIN_FLAGS, type TrainFlagName } from './flags.js';
export {
  type FlagOptions,
  type FlagValues,
  parseChoice,
  parseFlags,
  parseInteger,
  parseList,
  parseNumber,
} from './parse-args.js';
export { endsInLogSoftmax, lossForSpec, specForLoss } from './rules.js';
export {
  MAX_EPOCHS,
  parseTrainArgs,
  parseTrainFlags,
  type RunBase,
  resolveHyperparameters,
  SEED_RUN,
  type TrainConfig,
  trainConfigFromValues,
} from './train-config.js';
