import type { CommandContext } from '../cli-context.js';

/**
 * `fmnist-tui` with no subcommand: the interactive session (needs a terminal).
 * React and Ink pick their development or production build from NODE_ENV when first loaded;
 * the development build does extra checks on every render that cost the training run time,
 * so the app loads them only after defaulting NODE_ENV to production.
 */
export async function runTui(argv: string[], ctx: CommandContext): Promise<number> {
  process.env.NODE_ENV ??= 'production';
  const { startApp } = await import('./start-app.js');
  return startApp(argv, ctx);
}
