// The commands' shared helpers: the CLI context (src/cli-context.ts, which the session imports too) and the
// flag parsers of src/config (one util.parseArgs wrapper for every command).
export { type Command, type CommandContext, writeLine } from '../cli-context.js';
export { parseChoice, parseFlags, parseInteger, parseList, parseNumber } from '../config/parse-args.js';
