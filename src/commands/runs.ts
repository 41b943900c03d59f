import { UsageError, UserError } from '../core/errors.js';
import { detectRenderStyle } from '../core/render/image-preview.js';
import type { ChartStyle } from '../core/render/run-charts.js';
import { formatRunComparison, formatRunDetail, formatRunList, runJson } from '../core/runs/format.js';
import { differingSettings, runSettings } from '../core/runs/settings.js';
import { findRunFolders, isRunFolder, readRun, readRuns } from '../io/run-history.js';
import { parseFlags, writeLine, type CommandContext } from './context.js';

export const RUNS_HELP = `Usage
  $ fmnist-tui runs [DIR…] [--json]          list past runs (default ./runs)
  $ fmnist-tui runs show DIR [--json]        one run: its epochs and charts
  $ fmnist-tui runs compare A B [C…] [--json]
                                             runs overlaid, and the settings
                                             that differ

Every run saved by 'train --save' or the session's Save step is a folder with
metrics.json (and a checkpoint). 'runs' reads those files: the date, the model,
the settings that differ from the defaults, epochs, best and final test
accuracy and training time. A DIR is a run folder or a folder of them. A folder
from an older version or a save that did not finish is listed with a note.

Flags
      --json      machine-readable output
  -h, --help      show this help

Examples
  $ fmnist-tui runs
  $ fmnist-tui runs show runs/2026-12-02T07-20-05
  $ fmnist-tui runs compare runs/sgd runs/adam
`;

export async function runRuns(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags(
    'runs',
    argv,
    { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    ctx.stdout.write(RUNS_HELP);
    return 0;
  }
  const render = detectRenderStyle(ctx.env, ctx.stdout);
  const style: ChartStyle = {
    width: Math.min(100, Math.max(40, ctx.stdout.columns ?? 80)),
    height: 8,
    charset: render.style === 'unicode' ? 'braille' : 'ascii',
    color: render.color,
  };
  const [sub, ...rest] = positionals;
  if (sub === 'show') {
    if (rest.length !== 1)
      throw new UsageError(`runs show needs one run folder (got ${rest.length}; see 'fmnist-tui runs --help')`);
    const run = await readRunFolder(rest[0]);
    if (values.json) writeLine(ctx.stdout, JSON.stringify({ ...runJson(run), history: run.history }));
    else writeLine(ctx.stdout, formatRunDetail(run, style).join('\n'));
    return 0;
  }
  if (sub === 'compare') {
    if (rest.length < 2)
      throw new UsageError(
        `runs compare needs two or more run folders (got ${rest.length}; see 'fmnist-tui runs --help')`,
      );
    const runs = [];
    for (const dir of rest) runs.push(await readRunFolder(dir));
    if (values.json) {
      const settings = runs.map((r) => runSettings(r.spec, r.hyperparameters));
      const differing = differingSettings(settings);
      writeLine(
        ctx.stdout,
        JSON.stringify({
          runs: runs.map((r, i) => ({
            ...runJson(r),
            differing: Object.fromEntries(differing.map((d) => [d, settings[i].get(d) ?? null])),
            history: r.history,
          })),
          differing,
        }),
      );
    } else writeLine(ctx.stdout, formatRunComparison(runs, style).join('\n'));
    return 0;
  }
  const roots = positionals.length > 0 ? positionals : ['runs'];
  const { dirs, missing } = await findRunFolders(roots);
  if (missing.length === roots.length)
    throw new UserError(
      `${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist ` +
        "(runs are saved by 'fmnist-tui train --save' into ./runs; pass the folder that holds them)",
    );
  for (const m of missing) writeLine(ctx.stderr, `note: ${m} does not exist`);
  const runs = await readRuns(dirs);
  if (values.json) {
    writeLine(ctx.stdout, JSON.stringify(runs.map(runJson)));
    return 0;
  }
  if (runs.length === 0) {
    writeLine(ctx.stdout, `No runs in ${roots.join(', ')} (save one with 'fmnist-tui train --save').`);
    return 0;
  }
  writeLine(ctx.stdout, formatRunList(runs, render.style === 'ascii').join('\n'));
  return 0;
}

async function readRunFolder(dir: string) {
  if (!isRunFolder(dir))
    throw new UserError(
      `${dir} is not a run folder (no metrics.json, checkpoint or model in it); 'fmnist-tui runs' lists the run folders`,
    );
  return readRun(dir);
}
