import { writeLine } from '../cli-context.js';

/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;
/** Exit codes after a signal (128 + its number), as shells report them. */
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: EXIT_INTERRUPTED, SIGTERM: 143, SIGHUP: 129 };
const STOP_SIGNALS = Object.keys(SIGNAL_EXIT) as NodeJS.Signals[];

/** 'Ctrl-C' for SIGINT, else the signal's name: how the stop lines name what stopped the work. */
export function signalName(signal: NodeJS.Signals | undefined): string {
  return signal === 'SIGINT' || signal === undefined ? 'Ctrl-C' : signal;
}

export interface Interrupt {
  /** Aborted by the first stop signal (or by `abort`). */
  readonly signal: AbortSignal;
  /** The signal that stopped the work, if one did. */
  readonly stoppedBy: NodeJS.Signals | undefined;
  /** The exit code a stop signal asks for (130 for Ctrl-C), or undefined when none came. */
  readonly exitCode: number | undefined;
  abort(): void;
  /** Stops listening: call when the work is over. */
  dispose(): void;
}

/**
 * The one handling of Ctrl-C (and SIGTERM, SIGHUP) for the commands that work for a while (train, tune):
 * the first signal aborts `signal` and prints `stopping(signal)` on stderr; with the listeners gone, a
 * second one gets Node's default action and ends the process at once.
 */
export function listenForInterrupt(
  stderr: NodeJS.WritableStream,
  stopping: (signal: NodeJS.Signals) => string,
): Interrupt {
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
    stoppedBy ??= signal;
    controller.abort();
    writeLine(stderr, `\n${stopping(signal)}`);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  return {
    signal: controller.signal,
    get stoppedBy() {
      return stoppedBy;
    },
    get exitCode() {
      return stoppedBy && (SIGNAL_EXIT[stoppedBy] ?? EXIT_INTERRUPTED);
    },
    abort: () => controller.abort(),
    dispose: () => {
      for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
    },
  };
}

/** Runs `body` with listenForInterrupt, and stops listening when it settles. */
export async function withInterrupt<T>(
  stderr: NodeJS.WritableStream,
  stopping: string,
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const interrupt = listenForInterrupt(stderr, () => `${stopping} (Ctrl-C again to quit at once)`);
  try {
    return await body(interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}
