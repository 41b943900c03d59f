// The data of a run (train, tune) loaded for a command: progress worth a line on stderr, Ctrl-C as one line.
import { UserError } from '../core/errors.js';
import { describeProgress, type DataProgress } from '../core/dataset/progress.js';
import { loadDataset, type LoadedDataset } from '../io/data/load.js';
import { writeLine, type CommandContext } from './context.js';
import { EXIT_INTERRUPTED } from './interrupt.js';

/** Data-loading progress worth a line on stderr in a non-interactive run. */
const DATA_PROGRESS_SHOWN: ReadonlySet<DataProgress['type']> = new Set([
  'download-start',
  'downloaded',
  'retry',
  'mirror-failed',
  'removed',
]);

/** Loads the data for a run (train, tune): downloads and retries on stderr; Ctrl-C while loading is one line, exit 130. */
export async function loadRunData(
  ctx: CommandContext,
  dataDir: string | undefined,
  signal: AbortSignal,
): Promise<LoadedDataset> {
  return loadDataset({
    dataDir,
    env: ctx.env,
    signal,
    onProgress: (p) => {
      if (DATA_PROGRESS_SHOWN.has(p.type)) writeLine(ctx.stderr, `data: ${describeProgress(p)}`);
    },
  }).catch((err: unknown) => {
    if (signal.aborted) throw new UserError('stopped while loading the data (Ctrl-C)', { exitCode: EXIT_INTERRUPTED });
    throw err;
  });
}
