import { createElement } from 'react';
import { render } from 'ink';
import { UserError } from '../core/errors.js';
import { detectRenderStyle } from '../core/render/image-preview.js';
import type { CommandContext } from '../cli-context.js';
import { openSettings, type SettingsStore, type StoredSettings } from '../io/settings.js';
import { App } from './app.js';
import { inkStdout } from './ink-stdout.js';
import { createRealServices } from './real-services.js';
import { initialState } from './state.js';
import { prefill } from './prefill.js';

/** Render-loop frame rate: batch events arrive far faster; the reducer folds them between frames. */
export const MAX_FPS = 10;

/** Starts the Ink app (run-tui.ts loads this after choosing React's production build). */
export async function startApp(argv: string[], ctx: CommandContext): Promise<number> {
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
    throw new UserError(
      'the interactive session needs a terminal; for scripts use a subcommand: ' +
        "fmnist-tui data | train | tune | export | verify | predict (see 'fmnist-tui --help')",
      {
        exitCode: 2,
      },
    );
  const stdout = ctx.stdout as NodeJS.WriteStream;
  const style = detectRenderStyle(ctx.env, stdout);
  const services = createRealServices({ env: ctx.env, dataDir: options.dataDir, settings });
  const initial = initialState({
    ...options,
    settingsLoaded: stored.spec !== undefined || stored.hyperparameters !== undefined || stored.engine !== undefined,
    columns: stdout.columns,
    rows: stdout.rows,
    color: style.color,
    imageStyle: style,
  });
  let code = 0;
  const instance = render(
    createElement(App, {
      services,
      initial: settingsNote ? { ...initial, status: settingsNote } : initial,
      onExit: (c: number) => {
        code = c;
      },
    }),
    // Not incrementalRendering: in Ink 6.8 it leaves stale live-area lines between <Static> rows.
    // inkStdout: the resize is the app's to handle (ink-stdout.ts says why).
    { stdout: inkStdout(stdout), stdin, maxFps: MAX_FPS, exitOnCtrlC: false, patchConsole: true },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    await services.dispose();
  }
  return code;
}
