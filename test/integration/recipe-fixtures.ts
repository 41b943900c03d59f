// PyTorch's numbers for the training-recipe knobs (test/fixtures/torch-recipe-steps.json, made by
// scripts/make-recipe-goldens.py on the inputs of torch-optim-steps.json).
import { readFileSync } from 'node:fs';
import type { GoldenCase } from './tfjs-fixtures.js';

export interface RecipeCase extends Omit<GoldenCase, 'optimizer' | 'schedule'> {
  readonly optimizer: GoldenCase['optimizer'] | 'adamw';
  readonly label_smoothing?: number;
  readonly schedule?: {
    readonly kind: 'onecycle' | 'constant' | 'cosine' | 'step';
    readonly warmup?: number;
    readonly step_size?: number;
    readonly gamma?: number;
  };
  /** Momentum (SGD) or beta1 (Adam, AdamW) at each step (one-cycle). */
  readonly momenta?: number[];
  /** Per-sample losses of all images after the last step (label smoothing cases). */
  readonly eval_losses?: number[];
}

export const recipe: { about: string; cases: RecipeCase[] } = JSON.parse(
  readFileSync(new URL('../fixtures/torch-recipe-steps.json', import.meta.url), 'utf8'),
);

export function recipeName(c: RecipeCase): string {
  const opts = Object.entries(c.options)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : v}`)
    .join(' ');
  const extra = [
    c.label_smoothing ? `label_smoothing=${c.label_smoothing}` : '',
    c.schedule ? `schedule=${JSON.stringify(c.schedule)}` : '',
  ];
  return [`${c.optimizer}(${opts})`, ...extra].filter(Boolean).join(' ');
}
