// Defaults of a run that are not the seed program's own (those are SEED_HYPERPARAMETERS and PRESETS.seed).
import { join } from 'node:path';
import type { EngineName } from '../core/train/engine.js';
import { type Schedule, type ScheduleName, stepsPerEpoch } from '../core/train/hyperparameters.js';

/** Training images in the full Fashion-MNIST: flags are checked against it before the data is read. */
export const FULL_TRAIN_SIZE = 60000;
export const DEFAULT_ENGINE: EngineName = 'onnx';
/**
 * A step schedule without --step-size: the learning rate falls every this many epochs. (The session's form
 * used 1000 steps × 0.5 while the command line used 3 epochs × 0.1; the command line's is kept: 0.1 is
 * torch's StepLR default, and a size in epochs keeps its meaning when the batch size changes.)
 */
export const DEFAULT_STEP_EPOCHS = 3;
/** torch.optim.lr_scheduler.StepLR's default gamma. */
export const DEFAULT_GAMMA = 0.1;

/** A schedule of this kind with its default options, in optimizer steps for this batch size and data. */
export function defaultSchedule(kind: ScheduleName, batchSize: number, trainSize = FULL_TRAIN_SIZE): Schedule {
  if (kind === 'step')
    return { kind, stepSize: DEFAULT_STEP_EPOCHS * stepsPerEpoch(trainSize, batchSize), gamma: DEFAULT_GAMMA };
  if (kind === 'cosine') return { kind, tMax: 0, etaMin: 0 };
  if (kind === 'onecycle') return { kind };
  return { kind: 'constant' };
}

/** runs/2026-11-27T07-31-05: the --save folder when none is named (no colons: safe on every OS). */
export function defaultRunFolder(now = new Date()): string {
  return join('runs', now.toISOString().slice(0, 19).replace(/:/g, '-'));
}
