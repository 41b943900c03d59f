import { UserError } from '../core/errors.js';
import type { CommandContext } from './context.js';

// Placeholder until its issue lands: fails loudly rather than pretending.
export async function runConfig(_argv: string[], _ctx: CommandContext): Promise<number> {
  throw new UserError("'config' is not available in this build yet");
}
