// The train flags read from TRAIN_FLAGS: their names, their util.parseArgs options and values, one flag's
// spec, the flags that satisfy a condition.
import type { FlagSpec } from './flag-spec.js';
import { TRAIN_FLAGS, type TrainFlagName } from './flags.js';

const FLAG_SPECS: Record<TrainFlagName, FlagSpec> = TRAIN_FLAGS;
export const TRAIN_FLAG_NAMES = Object.keys(TRAIN_FLAGS) as TrainFlagName[];

/** The util.parseArgs options of the train flags (commands that train too spread these into theirs). */
export const TRAIN_FLAG_OPTIONS = Object.fromEntries(
  TRAIN_FLAG_NAMES.map((name) => {
    const { type, short } = FLAG_SPECS[name];
    return [name, short === undefined ? { type } : { type, short }];
  }),
) as { readonly [K in TrainFlagName]: { readonly type: (typeof TRAIN_FLAGS)[K]['type'] } };

/** The values util.parseArgs gives for TRAIN_FLAG_OPTIONS. */
export type TrainFlagValues = {
  [K in TrainFlagName]?: (typeof TRAIN_FLAGS)[K]['type'] extends 'boolean' ? boolean : string;
};

export function flagSpec(name: TrainFlagName): FlagSpec {
  return FLAG_SPECS[name];
}

/** The train flags that satisfy `keep`, in the table's order. */
export function trainFlagsWhere(keep: (spec: FlagSpec, name: TrainFlagName) => boolean): TrainFlagName[] {
  return TRAIN_FLAG_NAMES.filter((name) => keep(FLAG_SPECS[name], name));
}
