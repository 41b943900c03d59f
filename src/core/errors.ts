/**
 * An error the user can fix: printed as one line (no stack trace unless --debug),
 * exit code `exitCode`. Everything that reaches the CLI boundary and is not a
 * UserError is a bug and is reported as such.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Usage errors (bad flag, bad value) exit with 2, like most CLIs. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
    this.name = 'UsageError';
  }
}
