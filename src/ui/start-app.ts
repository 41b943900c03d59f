import { createElement } from 'react';
import { render } from 'ink';
import { UsageError, UserError } from '../core/errors.js';
import { detectRenderStyle } from '../core/render/image-preview.js';
import { parseTrainFlags, type TrainFlagName } from '../commands/train-flags.js';
import type { CommandContext } from '../commands/context.js';
import { openSettings, type SettingsStore, type StoredSettings } from '../io/settings.js';
import { App } from './app.js';
import { timestampName } from './format.js';
import { createRealServices } from './real-services.js';
import { initialState, type InitialOptions } from './state.js';

const MODEL_FLAGS: readonly TrainFlagName[] = ['preset', 'hidden', 'activation', 'final-activation', 'dropout'];
const HP_FLAGS: readonly TrainFlagName[] = ['epochs', 'lr', 'batch-size', 'optimizer', 'momentum', 'dampening', 'nesterov', 'weight-decay', 'beta1', 'beta2', 'eps', 'amsgrad', 'alpha', 'centered', 'loss', 'schedule', 'step-size', 'gamma', 'eta-min', 'shuffle', 'seed'];
const NOT_INTERACTIVE: readonly TrainFlagName[] = ['json', 'resume', 'init-weights'];

/** Render-loop frame rate: batch events arrive far faster; the reducer folds them between frames. */
export const MAX_FPS = 12;

/**
 * What the app starts from: the train flags given on the command line win, then the last-used
 * settings, then the seed program's values.
 */
export function prefill(argv: string[], stored: StoredSettings): Omit<InitialOptions, 'columns' | 'rows' | 'color'> & { dataDir?: string } {
  const { config } = parseTrainFlags(argv, 'fmnist-tui');
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
    saveDir: config.save ? config.save : `runs/${timestampName(new Date())}`,
    dataDir: config.dataDir,
  };
}

/** `fmnist-tui` with no subcommand: the interactive session (needs a terminal). */
export async function runTui(argv: string[], ctx: CommandContext): Promise<number> {
  let settings: SettingsStore | undefined;
  let stored: StoredSettings = {};
  let settingsNote: string | undefined;
  try {
    settings = openSettings({ env: ctx.env });
    stored = settings.load();
  } catch (err) {
    settingsNote = `settings not loaded: ${(err as Error).message}`;
  }
  const options = prefill(argv, stored);
  const stdin = process.stdin;
  if (!ctx.stdout.isTTY || !stdin.isTTY)
    throw new UserError("the interactive session needs a terminal; for scripts use a subcommand: fmnist-tui data | train | tune | export | verify | predict (see 'fmnist-tui --help')", {
      exitCode: 2,
    });
  const stdout = ctx.stdout as NodeJS.WriteStream;
  const style = detectRenderStyle(ctx.env, stdout);
  const services = createRealServices({ env: ctx.env, dataDir: options.dataDir, settings });
  const initial = initialState({ ...options, columns: stdout.columns, rows: stdout.rows, color: style.color, imageStyle: style });
  let code = 0;
  const instance = render(
    createElement(App, {
      services,
      initial: settingsNote ? { ...initial, status: settingsNote } : initial,
      onExit: (c: number) => {
        code = c;
      },
    }),
    { stdout, stdin, maxFps: MAX_FPS, exitOnCtrlC: false, patchConsole: true },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    await services.dispose();
  }
  return code;
}
