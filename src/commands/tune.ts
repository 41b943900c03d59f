import type { CommandContext } from '../cli-context.js';
import { parseFlags } from '../config/index.js';
import { checkModeFlags, TUNE_FLAG_OPTIONS } from '../config/tune-flags.js';
import { TUNE_HELP } from './tune-help.js';
import { runLrFind } from './tune-lr-find.js';
import { runTuneSearch } from './tune-search.js';

/** `fmnist-tui tune`: the learning-rate finder (--lr-find) or the budgeted search. */
export async function runTune(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseFlags('tune', argv, TUNE_FLAG_OPTIONS);
  if (values.help) {
    ctx.stdout.write(TUNE_HELP);
    return 0;
  }
  checkModeFlags(values);
  return values['lr-find'] ? runLrFind(values, ctx) : runTuneSearch(values, ctx);
}
