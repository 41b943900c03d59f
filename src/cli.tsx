#!/usr/bin/env node
import { UserError } from './core/errors.js';
import { VERSION } from './version.js';
import type { Command, CommandContext } from './commands/context.js';

/** Subcommands, loaded on demand so start-up only pays for what runs. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  data: {
    summary: 'find, download, verify and preview the Fashion-MNIST data',
    load: async () => (await import('./commands/data.js')).runData,
  },
  model: {
    summary: 'summarise a model (--layers, --preset) or print its PyTorch code',
    load: async () => (await import('./commands/model.js')).runModel,
  },
  train: {
    summary: "train the model and print the seed's lines (or --json events)",
    load: async () => (await import('./commands/train.js')).runTrain,
  },
  tune: {
    summary: 'learning-rate finder and a budgeted hyperparameter search',
    load: async () => (await import('./commands/tune.js')).runTune,
  },
  export: {
    summary: 'export saved weights to ONNX',
    load: async () => (await import('./commands/export.js')).runExport,
  },
  verify: {
    summary: 'check an exported ONNX model against the trained model',
    load: async () => (await import('./commands/verify.js')).runVerify,
  },
  predict: {
    summary: 'classify PNG/JPEG/WebP images with an ONNX model',
    load: async () => (await import('./commands/predict.js')).runPredict,
  },
  analyze: {
    summary: 'confusion matrix, per-class scores and worst mistakes of a model',
    load: async () => (await import('./commands/analyze.js')).runAnalyze,
  },
  runs: {
    summary: 'list past runs, show one with charts, or compare several',
    load: async () => (await import('./commands/runs.js')).runRuns,
  },
  config: {
    summary: 'show where settings are kept, or reset them',
    load: async () => (await import('./commands/config.js')).runConfig,
  },
};

const HELP = `fmnist-tui ${VERSION} — train a neural network on Fashion-MNIST in your terminal

Usage
  $ fmnist-tui [train flags]   the interactive session: data → model →
                               hyperparameters → train → save → export → verify
                               ('fmnist-tui train --help' lists the flags)
  $ fmnist-tui <command> [flags]

Commands
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
  .join('\n')}

Global flags
  -h, --help      show help (also: fmnist-tui <command> --help)
  -v, --version   print the version
  --debug         show stack traces on errors

Examples
  $ fmnist-tui data --preview 8
  $ fmnist-tui train --preset seed --epochs 10
  $ fmnist-tui train --preset recommended --optimizer adam --shuffle \\
      --schedule cosine --save runs/best
  $ fmnist-tui verify runs/best/model.onnx

Data comes from --data-dir / FMNIST_DATA_DIR, the user cache, a system copy
(/usr/share/datasets/fashion-mnist), or the embedded 6,000/1,000 sample when
offline.
`;

export async function main(argv: string[], ctx: CommandContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    ctx.stdout.write(HELP);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    ctx.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (first !== undefined && !first.startsWith('-')) {
    const command = COMMANDS[first];
    if (!command)
      throw new UserError(
        `unknown command '${first}' (commands: ${Object.keys(COMMANDS).join(', ')}; see 'fmnist-tui --help')`,
        { exitCode: 2 },
      );
    return (await command.load())(rest, ctx);
  }
  const { runTui } = await import('./ui/run-tui.js');
  return runTui(argv, ctx);
}

function outputWriteError(err: NodeJS.ErrnoException): UserError {
  const why = err.code === 'ENOSPC' ? 'no space left on device' : (err.code ?? err.message);
  return new UserError(`cannot write the output: ${why}`, { exitCode: 74 });
}

function reportError(err: unknown, debug: boolean): number {
  if (err instanceof UserError) {
    process.stderr.write(`fmnist-tui: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`fmnist-tui: internal error: ${e.message.split('\n')[0]} (run with --debug for details)\n`);
  if (debug) process.stderr.write(`${e.stack ?? ''}\n`);
  return 70;
}

const isMain =
  process.argv[1] !== undefined &&
  import.meta.url === new URL(`file://${(await import('node:fs')).realpathSync(process.argv[1])}`).href;
if (isMain) {
  const args = process.argv.slice(2);
  const debug = args.includes('--debug') || process.env.FMNIST_DEBUG === '1';
  const ctx: CommandContext = { stdout: process.stdout, stderr: process.stderr, env: process.env, debug };
  // Output that cannot be written (`> /dev/full`) is an error, not a silent exit 0; a reader that
  // went away (`| head`) is not.
  let outputError: NodeJS.ErrnoException | undefined;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') outputError ??= err;
  });
  let code: number;
  try {
    code = await main(
      args.filter((a) => a !== '--debug'),
      ctx,
    );
  } catch (err) {
    code = reportError(err, debug);
  }
  // Write errors are reported on a later tick: let them arrive before deciding the exit code.
  await new Promise((resolve) => setImmediate(resolve));
  if (outputError && code === 0) code = reportError(outputWriteError(outputError), debug);
  // Native thread pools (onnxruntime, sharp) can keep the process alive: exit explicitly.
  // stdout/stderr writes to pipes, files and TTYs are synchronous on Linux, so nothing is lost.
  process.exit(code);
}
