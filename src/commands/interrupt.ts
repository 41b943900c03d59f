import { writeLine } from '../cli-context.js';

/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

export interface Interrupt {
  /** Aborted by the first Ctrl-C (or by `abort`). */
  readonly signal: AbortSignal;
  abort(): void;
  /** Stops listening: call when the work is over. */
  dispose(): void;
}

/**
 * Ctrl-C handling of the commands that work for a while (train, tune): the first Ctrl-C aborts `signal` and
 * says `stopping` on stderr; with the listener gone, a second one gets Node's default action and ends the
 * process at once.
 */
export function listenForInterrupt(stderr: NodeJS.WritableStream, stopping: string): Interrupt {
  const controller = new AbortController();
  const onSigint = () => {
    process.removeListener('SIGINT', onSigint);
    controller.abort();
    writeLine(stderr, `\n${stopping} (Ctrl-C again to quit at once)`);
  };
  process.on('SIGINT', onSigint);
  return {
    signal: controller.signal,
    abort: () => controller.abort(),
    dispose: () => process.removeListener('SIGINT', onSigint),
  };
}

/** Runs `body` with listenForInterrupt, and stops listening when it settles. */
export async function withInterrupt<T>(
  stderr: NodeJS.WritableStream,
  stopping: string,
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const interrupt = listenForInterrupt(stderr, stopping);
  try {
    return await body(interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}
