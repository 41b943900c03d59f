import type { TrainingEvent } from '../core/train/events.js';
import { jsonLine, seedLines } from './seed-lines.js';

export interface PrintOptions {
  /** One JSON object per event and line instead of the seed's lines. */
  readonly json: boolean;
  /** Where the lines go (stdout). */
  readonly write: (text: string) => void;
}

/** The terminal event of a training stream: how it ended. */
export type FinalEvent = Extract<TrainingEvent, { type: 'trainEnd' | 'error' }>;

/**
 * Consumes train()'s stream and prints it: the seed's lines, or JSON lines. Resolves with the
 * stream's final event (trainEnd or error) so the caller can save, report and pick an exit code.
 */
export async function printTraining(
  events: AsyncIterable<TrainingEvent>,
  options: PrintOptions,
): Promise<FinalEvent | undefined> {
  const format = options.json ? jsonLine : seedLines;
  let final: FinalEvent | undefined;
  for await (const event of events) {
    // In seed mode the error is the caller's to report (on stderr, one line).
    if (options.json || event.type !== 'error') {
      const text = format(event);
      if (text) options.write(text);
    }
    if (event.type === 'trainEnd' || event.type === 'error') final = event;
  }
  return final;
}
