import type { CommandContext } from '../cli-context.js';
import { UserError } from '../core/errors.js';
import { detectRenderStyle } from '../core/render/image-preview.js';
import { asciiStream } from './ascii-output.js';

/**
 * TERM=dumb (Emacs' shell buffer, a CI log, `script`): no cursor movement, and often keys only a line
 * at a time. A session driven by single keys can't work there even drawn as plain lines, and every
 * step is a subcommand that already prints plain lines, so the session points to them instead.
 */
export const DUMB_TERMINAL =
  "this terminal (TERM=dumb) can't show the interactive session; every step is a subcommand with plain output: " +
  "fmnist-tui data | train | tune | export | verify | predict (see 'fmnist-tui --help')";

/**
 * `fmnist-tui` with no subcommand: the interactive session (needs a terminal).
 * React and Ink pick their development or production build from NODE_ENV when first loaded;
 * the development build does extra checks on every render that cost the training run time,
 * so the app loads them only after defaulting NODE_ENV to production. (That choice matters from
 * the sources; built, dist/vendor holds React's production build only: scripts/bundle-ui.mjs.)
 */
export async function runTui(argv: string[], ctx: CommandContext): Promise<number> {
  if (ctx.env.TERM === 'dumb') throw new UserError(DUMB_TERMINAL, { exitCode: 2 });
  process.env.NODE_ENV ??= 'production';
  // A locale that is not UTF-8 gets ASCII throughout (the images already choose ASCII themselves).
  const ascii = detectRenderStyle(ctx.env, ctx.stdout).style === 'ascii';
  const { startApp } = await import('./start-app.js');
  return startApp(argv, ascii ? { ...ctx, stdout: asciiStream(ctx.stdout) } : ctx);
}
