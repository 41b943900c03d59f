// Shared by the tfjs and differential tests: PyTorch's golden steps, turned into engine inputs.
import { readFileSync } from 'node:fs';
import type { Activation, ModelSpec } from '../../src/core/model/spec.js';
import type { NamedTensors } from '../../src/core/tensors.js';
import type { TrainBatch } from '../../src/core/train/engine.js';
import {
  OPTIMIZER_DEFAULTS,
  type LossName,
  type OptimizerName,
  type OptimizerOptions,
} from '../../src/core/train/hyperparameters.js';

export interface GoldenCase {
  optimizer: OptimizerName;
  options: Record<string, number | boolean | number[]>;
  loss: LossName;
  activation: Activation;
  final_activation: Activation;
  schedule?: unknown;
  losses: number[];
  lrs: number[];
  grads_step0: Record<string, number[]>;
  final_weights: Record<string, number[]>;
}
export interface Golden {
  about: string;
  images: number[];
  labels: number[];
  batches: [number, number][];
  init_weights: Record<string, { shape: number[]; data: number[] }>;
  cases: GoldenCase[];
}

export const golden: Golden = JSON.parse(
  readFileSync(new URL('../fixtures/torch-optim-steps.json', import.meta.url), 'utf8'),
);
export const goldenImages = Uint8Array.from(golden.images);
export const goldenLabels = Uint8Array.from(golden.labels);

export function goldenSpec(c: GoldenCase): ModelSpec {
  return {
    hidden: [{ units: 4, activation: c.activation, dropout: 0 }],
    finalActivation: c.final_activation,
    logSoftmax: c.loss === 'nll',
  };
}

export function goldenParameters(): NamedTensors {
  const out: NamedTensors = new Map();
  for (const [name, t] of Object.entries(golden.init_weights))
    out.set(name, { shape: t.shape, data: Float32Array.from(t.data) });
  return out;
}

/** torch.optim keyword arguments → our OptimizerOptions. */
export function optimizerFromTorch(kind: OptimizerName, o: GoldenCase['options']): OptimizerOptions {
  const n = (k: string, d: number) => (typeof o[k] === 'number' ? (o[k] as number) : d);
  const b = (k: string) => o[k] === true;
  switch (kind) {
    case 'sgd': {
      const d = OPTIMIZER_DEFAULTS.sgd;
      return {
        kind,
        momentum: n('momentum', d.momentum),
        dampening: n('dampening', d.dampening),
        nesterov: b('nesterov'),
        weightDecay: n('weight_decay', d.weightDecay),
      };
    }
    case 'adam':
    case 'adamw': {
      const d = OPTIMIZER_DEFAULTS[kind];
      const betas = (o.betas as number[] | undefined) ?? [d.beta1, d.beta2];
      return {
        kind,
        beta1: betas[0],
        beta2: betas[1],
        eps: n('eps', d.eps),
        weightDecay: n('weight_decay', d.weightDecay),
        amsgrad: b('amsgrad'),
      };
    }
    case 'rmsprop': {
      const d = OPTIMIZER_DEFAULTS.rmsprop;
      return {
        kind,
        alpha: n('alpha', d.alpha),
        eps: n('eps', d.eps),
        weightDecay: n('weight_decay', d.weightDecay),
        momentum: n('momentum', d.momentum),
        centered: b('centered'),
      };
    }
  }
}

export function goldenBatches(c: GoldenCase): TrainBatch[] {
  return golden.batches.map(([a, b], i) => ({
    images: goldenImages.subarray(a * 784, b * 784),
    labels: goldenLabels.subarray(a, b),
    count: b - a,
    learningRate: c.lrs[i],
    dropoutSeed: i,
  }));
}

export function caseName(c: GoldenCase): string {
  const opts = Object.entries(c.options)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : v}`)
    .join(' ');
  return `${c.optimizer}(${opts}) ${c.loss} ${c.activation}${c.final_activation !== 'none' ? ` final=${c.final_activation}` : ''}${c.schedule ? ` schedule=${JSON.stringify(c.schedule)}` : ''}`;
}

/** Largest |a - b| / (atol + |b|) over all elements: ≤ rtol means "close" (numpy-like). */
export function worstRelative(a: ArrayLike<number>, b: ArrayLike<number>, atol: number): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (atol + Math.abs(b[i])));
  return Number.isNaN(worst) ? Infinity : worst;
}

/** max |a - b| / max |b|: error on the tensor's own scale (elementwise relative error is
 *  meaningless for entries near zero, e.g. Adam's steps on float-noise gradients). */
export function scaledError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / (scale || 1);
}

/** ‖a - b‖₂ / ‖b‖₂: the tensor's relative error as a whole. */
export function l2Relative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return Number.isNaN(diff) ? Infinity : Math.sqrt(diff / (norm || 1));
}
