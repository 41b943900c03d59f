import { UsageError } from '../errors.js';
import type { TrainingCommand } from './events.js';

/**
 * The caller's side of a running train(): commands queue here and the loop takes them
 * between groups of steps (and waits on them while paused). Sending never blocks.
 *
 * @example
 * const control = createTrainController();
 * for await (const event of train({ engine, dataset, spec, hyperparameters, commands: control })) { … }
 * // elsewhere, e.g. on a key press:
 * control.send({ type: 'pause' });
 */
export interface TrainController {
  /** Queue a command; throws a UsageError for an invalid value (e.g. a learning rate ≤ 0). */
  send(command: TrainingCommand): void;
  pause(): void;
  resume(): void;
  stopAfterEpoch(): void;
  abort(): void;
  addEpochs(count: number): void;
  setLearningRate(learningRate: number): void;
  /** For the loop: every queued command, oldest first, emptying the queue. */
  take(): TrainingCommand[];
  /** For the loop: resolves when a command is queued (at once if one is) or `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void>;
}

/** Checks a command's values; returns it unchanged. */
export function validateCommand(command: TrainingCommand): TrainingCommand {
  if (command.type === 'addEpochs' && (!Number.isInteger(command.count) || command.count < 1))
    throw new UsageError(`epochs to add must be a whole number of at least 1 (got ${command.count})`);
  if (command.type === 'setLearningRate' && (!Number.isFinite(command.learningRate) || command.learningRate <= 0))
    throw new UsageError(`learning rate must be a number above 0, e.g. 1e-3 (got ${command.learningRate})`);
  return command;
}

export function createTrainController(): TrainController {
  const queue: TrainingCommand[] = [];
  let wake: (() => void) | undefined;
  const send = (command: TrainingCommand) => {
    queue.push(validateCommand(command));
    const w = wake;
    wake = undefined;
    w?.();
  };
  return {
    send,
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    stopAfterEpoch: () => send({ type: 'stopAfterEpoch' }),
    abort: () => send({ type: 'abort' }),
    addEpochs: (count) => send({ type: 'addEpochs', count }),
    setLearningRate: (learningRate) => send({ type: 'setLearningRate', learningRate }),
    take: () => queue.splice(0, queue.length),
    wait: (signal) =>
      new Promise<void>((resolve) => {
        if (queue.length > 0 || signal?.aborted) return resolve();
        const done = () => {
          signal?.removeEventListener('abort', done);
          if (wake === done) wake = undefined;
          resolve();
        };
        wake = done;
        signal?.addEventListener('abort', done, { once: true });
      }),
  };
}
