// The loop's side of live control: the commands a running train() takes between groups of steps
// (pause, resume, stop after this epoch, abort, add epochs, set the learning rate), the state they
// leave, and the time spent paused, which no epoch's or run's seconds count.
import type { TrainController } from './controller.js';
import type { TrainingCommand, TrainingEvent, TrainPosition } from './events.js';

export interface LiveControlOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly position: TrainPosition;
  readonly now: () => number;
  readonly commands?: TrainController;
  readonly signal?: AbortSignal;
}

export class LiveControl {
  /** The run's epochs, as addEpochs leaves them. */
  epochs: number;
  /** The base learning rate (the schedule's start), as setLearningRate leaves it. */
  learningRate: number;
  /** Where the loop is: what paused and resumed report. */
  position: TrainPosition;
  paused = false;
  aborted = false;
  stopRequested = false;
  /** Paused time since the epoch began (the loop resets it). */
  epochPausedMs = 0;
  /** All paused time of the run: trainEnd's seconds are training time, as each epoch's are. */
  runPausedMs = 0;
  private readonly now: () => number;
  private readonly commands?: TrainController;
  private readonly signal?: AbortSignal;

  constructor(options: LiveControlOptions) {
    this.epochs = options.epochs;
    this.learningRate = options.learningRate;
    this.position = options.position;
    this.now = options.now;
    this.commands = options.commands;
    this.signal = options.signal;
  }

  /** Applies the queued commands, returning the events they cause. */
  takeCommands(): TrainingEvent[] {
    return this.apply(this.commands?.take() ?? []);
  }

  /** Takes pending commands; while paused, waits for more. Yields what they cause. */
  async *control(): AsyncGenerator<TrainingEvent, void, void> {
    yield* this.takeCommands();
    while (this.paused && !this.aborted) {
      const pausedAt = this.now();
      await (this.commands ? this.commands.wait(this.signal) : new Promise<void>(() => {}));
      const waited = this.now() - pausedAt;
      this.epochPausedMs += waited;
      this.runPausedMs += waited;
      yield* this.takeCommands();
    }
  }

  private apply(queued: TrainingCommand[]): TrainingEvent[] {
    const events: TrainingEvent[] = [];
    for (const c of queued) {
      switch (c.type) {
        case 'pause':
          if (!this.paused && !this.aborted) {
            this.paused = true;
            events.push({ type: 'paused', at: this.position });
          }
          break;
        case 'resume':
          if (this.paused) {
            this.paused = false;
            events.push({ type: 'resumed', at: this.position });
          }
          break;
        case 'stopAfterEpoch':
          this.stopRequested = true;
          break;
        case 'abort':
          this.aborted = true;
          break;
        case 'addEpochs':
          this.epochs += c.count;
          events.push({ type: 'epochsChanged', epochs: this.epochs });
          break;
        case 'setLearningRate':
          this.learningRate = c.learningRate;
          events.push({ type: 'learningRateChanged', learningRate: this.learningRate });
          break;
      }
    }
    if (this.signal?.aborted) this.aborted = true;
    if (this.aborted && this.paused) {
      this.paused = false;
      events.push({ type: 'resumed', at: this.position });
    }
    return events;
  }
}
