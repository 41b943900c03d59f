import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.js';

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

type Options = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs with errors turned into one-line UsageErrors that point at --help. */
export function parseFlags<O extends Options>(command: string, argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    // Node's messages can run over several lines; keep the contract of one line.
    const raw = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    const lines = raw.split('\n');
    const dashHint = /use '(--[\w-]+=-XYZ)'/.exec(raw)?.[1];
    const message = lines[0].replace(/\.$/, '') + (dashHint ? ` (write negative values as ${dashHint})` : '');
    throw new UsageError(`${message} (see 'fmnist-tui ${command} --help')`);
  }
}

/** Parse a numeric flag value; `what` names it in the error ("--lr"). */
export function parseNumber(what: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${what} must be a number (got '${value}')`);
  return n;
}

export function parseInteger(what: string, value: string | undefined, fallback: number): number {
  const n = parseNumber(what, value, fallback);
  if (!Number.isInteger(n)) throw new UsageError(`${what} must be a whole number (got '${value}')`);
  return n;
}

export function parseChoice<T extends string>(
  what: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T))
    throw new UsageError(`${what}: unknown value '${value}' (choose ${choices.join(', ')})`);
  return value as T;
}
