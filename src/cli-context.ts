/** What a subcommand gets from the CLI: streams and environment, injectable in tests. */
export interface CommandContext {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** --debug: show stack traces and extra diagnostics. */
  readonly debug: boolean;
}

/** A subcommand: resolves with the process exit code; throws UserError for bad input. */
export type Command = (argv: string[], ctx: CommandContext) => Promise<number>;

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(line + '\n');
}
