import type { PresetName } from '../core/model/spec.js';
import {
  type Hyperparameters,
  OPTIMIZER_DEFAULTS,
  type OptimizerName,
  type Schedule,
} from '../core/train/hyperparameters.js';
import { defaultSchedule } from './defaults.js';

/** Training settings a preset recommends; explicit flags win over each. */
export interface PresetTraining {
  readonly learningRate?: number;
  readonly batchSize?: number;
  readonly epochs?: number;
  readonly optimizer?: OptimizerName;
  readonly schedule?: Schedule['kind'];
  readonly shuffle?: boolean;
}

/**
 * The seed and recommended presets train with the seed program's settings; the CNN with
 * Adam 1e-3, per-step cosine decay and shuffling (what reached 91.5% in 10 epochs under
 * PyTorch without BatchNorm; with it, ≥ 92% in fewer epochs: see README's figures).
 */
export const PRESET_TRAINING: Readonly<Record<PresetName, PresetTraining>> = {
  seed: {},
  recommended: {},
  cnn: { learningRate: 1e-3, batchSize: 64, epochs: 6, optimizer: 'adam', schedule: 'cosine', shuffle: true },
};

/** `base` with the preset's training settings laid over it. */
export function withPresetTraining(base: Hyperparameters, preset: PresetName): Hyperparameters {
  const t = PRESET_TRAINING[preset];
  const batchSize = t.batchSize ?? base.batchSize;
  return {
    ...base,
    learningRate: t.learningRate ?? base.learningRate,
    batchSize,
    epochs: t.epochs ?? base.epochs,
    shuffle: t.shuffle ?? base.shuffle,
    ...(t.optimizer !== undefined &&
      t.optimizer !== base.optimizer.kind && { optimizer: OPTIMIZER_DEFAULTS[t.optimizer] }),
    ...(t.schedule !== undefined && { schedule: defaultSchedule(t.schedule, batchSize) }),
  };
}
