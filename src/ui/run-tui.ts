import { UserError } from '../core/errors.js';
import type { CommandContext } from '../commands/context.js';

// Placeholder until the TUI issue lands.
export async function runTui(_argv: string[], _ctx: CommandContext): Promise<number> {
  throw new UserError("the interactive session is not available in this build yet; see 'fmnist-tui --help'", { exitCode: 2 });
}
