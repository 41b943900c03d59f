import type { TrainingEvent } from '../core/train/events.js';
import { formatFixed, formatInt } from './python-format.js';

/** The seed prints a loss line every this many batches (`if batch % 100 == 0`). */
export const LOSS_EVERY = 100;
export const EPOCH_RULE = '-------------------------------';

/**
 * The seed program's stdout for one event, exactly as Python prints it (each line ends in
 * "\n"; the test_loop's print ends in " \n" plus print's own newline), or '' for events
 * the seed has no print for.
 */
export function seedLines(event: TrainingEvent): string {
  switch (event.type) {
    case 'epochBegin':
      return `Epoch ${event.epoch}\n${EPOCH_RULE}\n`;
    case 'batchEnd': {
      if (event.batch % LOSS_EVERY !== 0) return '';
      // current = batch * len(X), len(X) being this batch's size
      const current = event.batch * (event.count ?? Math.round(event.samplesSeen / (event.batch + 1)));
      return `loss: ${formatFixed(event.loss, 6, 7)}  [${formatInt(current, 5)}/${formatInt(event.trainSize, 5)}]\n`;
    }
    case 'epochEnd': {
      const test = `Test Error: \n Accuracy: ${formatFixed(100 * event.testAccuracy, 1)}%, Avg loss: ${formatFixed(event.testLoss, 6, 8)} \n\n`;
      // --val: the same lines for the validation split, after the seed's (which stay as they are).
      if (event.valLoss === undefined || event.valAccuracy === undefined) return test;
      const best = event.bestEpoch === event.epoch ? ' (best so far)' : '';
      return `${test}Validation Error: \n Accuracy: ${formatFixed(100 * event.valAccuracy, 1)}%, Avg loss: ${formatFixed(event.valLoss, 6, 8)}${best} \n\n`;
    }
    case 'trainEnd':
      return event.reason === 'aborted' ? '' : 'Done!\n';
    default:
      return '';
  }
}

/** JSON for --json: one line per event; non-finite numbers become null (as JSON.stringify does). */
export function jsonLine(event: TrainingEvent): string {
  return JSON.stringify(event) + '\n';
}
