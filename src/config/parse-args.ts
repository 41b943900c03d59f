// The one util.parseArgs wrapper and the flag-value parsers every command uses: each bad input is one line.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../core/errors.js';

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs's values for these options: a string or boolean per flag given. */
export type FlagValues<O extends FlagOptions> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
};

/** "(see 'fmnist-tui train --help')": the end of every flag error. */
export const helpPointer = (command: string) => `(see 'fmnist-tui ${command} --help')`;

/** Flags that may come without their value (`--save` alone): made explicit as `--save=`. */
function withOptionalValues(argv: readonly string[], optional: readonly string[]): string[] {
  if (optional.length === 0) return [...argv];
  return argv.map((arg, i) =>
    optional.includes(arg.slice(2)) && arg.startsWith('--') && (i + 1 >= argv.length || argv[i + 1].startsWith('-'))
      ? `${arg}=`
      : arg,
  );
}

/**
 * util.parseArgs (strict) with every error turned into one line that points at
 * `fmnist-tui <command> --help`. A flag given twice is refused too (util.parseArgs would keep the last).
 */
export function parseFlags<O extends FlagOptions>(
  command: string,
  argv: readonly string[],
  options: O,
  how: boolean | { positionals?: boolean; optionalValue?: readonly string[] } = {},
): { values: FlagValues<O>; positionals: string[] } {
  // `true` alone: positionals allowed (the older call shape, still used by some commands).
  const { positionals = false, optionalValue = [] } = typeof how === 'boolean' ? { positionals: how } : how;
  const args = withOptionalValues(argv, optionalValue);
  let parsed: ReturnType<typeof parseArgs<{ options: O; tokens: true; allowPositionals: boolean; strict: true }>>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positionals, strict: true, tokens: true });
  } catch (err) {
    const first = (err as Error).message.split('\n')[0];
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(first);
    const given = ambiguous ? (args[args.indexOf(ambiguous[1]) + 1] ?? '-1') : '';
    const message = ambiguous
      ? `${ambiguous[1]} ${given}: write a value starting with '-' attached, as ${ambiguous[1]}=${given}`
      : first.replace(/\. To specify a positional argument.*$/s, '').replace(/\.$/, '');
    throw new UsageError(`${message} ${helpPointer(command)}`);
  }
  const seen = new Map<string, string | undefined>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || options[token.name]?.multiple) continue;
    if (seen.has(token.name)) {
      const values = [seen.get(token.name), token.value].filter((v) => v !== undefined);
      const which = values.length === 2 ? ` (${values.map((v) => `'${v}'`).join(', then ')})` : '';
      throw new UsageError(`--${token.name} is given twice${which}: give it once ${helpPointer(command)}`);
    }
    seen.set(token.name, token.value);
  }
  return { values: parsed.values as FlagValues<O>, positionals: parsed.positionals };
}

// Decimal numbers only: Number() would also take '0x10', ' 5', '1_0'-free forms like 'Infinity' and ''.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const DIGITS = /^[+-]?\d+$/;

/** A numeric flag value (decimal, e.g. 0.01 or 1e-3); `what` names it in the error ("--lr"). */
export function parseNumber(what: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!DECIMAL.test(value) || !Number.isFinite(n)) throw new UsageError(`${what} must be a number (got '${value}')`);
  return n;
}

/** A whole-number flag value written in digits ('1e9' and '5.0' are refused), exact in a double. */
export function parseInteger(what: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!DIGITS.test(value)) {
    const numeric = value.trim() !== '' && Number.isFinite(Number(value));
    throw new UsageError(`${what} must be a ${numeric ? 'whole number' : 'number'} (got '${value}')`);
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new UsageError(`${what} must be at most ${Number.MAX_SAFE_INTEGER} (2^53 − 1) to be exact (got '${value}')`);
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

/** A comma-separated (or `separator`-separated) flag value; an empty item is refused, with an example. */
export function parseList(what: string, value: string, { separator = ',', example = '' } = {}): string[] {
  const items = value.split(separator).map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new UsageError(`${what}: empty item in '${value}'${example ? ` (write e.g. ${example})` : ''}`);
  return items;
}
