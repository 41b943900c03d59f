// What one train flag is: the shape of an entry of TRAIN_FLAGS (flags.ts), the table the flags are added to.
import type { OptimizerName, ScheduleName } from '../core/train/hyperparameters.js';

export type FlagGroup = 'model' | 'hyperparameters' | 'run';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly group: FlagGroup;
  /** `train --help`: the left column, e.g. '--lr X'. Without it the flag has no row of its own. */
  readonly usage?: string;
  /** `train --help`: the description, one string per line (the last one usually ends with its default). */
  readonly help?: readonly string[];
  /** `train --help`: lines printed as they are under the flag's row (per-optimizer options…). */
  readonly more?: readonly string[];
  /** The optimizers that take this flag (absent: not an optimizer option). */
  readonly optimizers?: readonly OptimizerName[];
  /** The schedule that takes this flag (absent: not a schedule option). */
  readonly schedule?: ScheduleName;
  /** false: `fmnist-tui train` only; the interactive session refuses it. */
  readonly session?: false;
  /** Which `fmnist-tui tune` mode takes it: 'lr-find' (default), 'both', or 'none'. */
  readonly tune?: 'lr-find' | 'both' | 'none';
}
