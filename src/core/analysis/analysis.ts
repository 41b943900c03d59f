/**
 * What a model learned, from its logits on the test split (pure): the object behind
 * `fmnist-tui analyze --json`, the Verify step's analysis view and confusion.png.
 */
import { CLASS_NAMES, NUM_CLASSES } from '../dataset/types.js';
import { accuracyOf, confusionMatrix, mostConfused, perClassMetrics, type ConfusionMatrix } from './confusion.js';
import { scoreLogits, topLosses } from './top-losses.js';

export interface ModelAnalysis {
  readonly accuracy: number;
  /** confusion[true][predicted] */
  readonly confusion: ConfusionMatrix;
  readonly perClass: readonly {
    readonly class: string;
    readonly precision: number;
    readonly recall: number;
    readonly f1: number;
  }[];
  readonly mostConfused: readonly { readonly true: string; readonly predicted: string; readonly count: number }[];
  readonly topLosses: readonly {
    readonly index: number;
    readonly true: string;
    readonly predicted: string;
    readonly probability: number;
    readonly loss: number;
  }[];
}

export interface AnalyzeOptions {
  /** How many most-confused pairs (default 10). */
  readonly confusedPairs?: number;
  /** How many top losses (default 16). */
  readonly topLosses?: number;
}

export function analyzeLogits(
  logits: Float32Array,
  labels: Uint8Array,
  count: number,
  options: AnalyzeOptions = {},
): ModelAnalysis {
  const scores = scoreLogits(logits, labels, count);
  const confusion = confusionMatrix(labels.subarray(0, count), scores.predictions, NUM_CLASSES);
  const name = (c: number) => CLASS_NAMES[c];
  return {
    accuracy: accuracyOf(confusion),
    confusion,
    perClass: perClassMetrics(confusion).map((m, c) => ({
      class: name(c),
      precision: m.precision,
      recall: m.recall,
      f1: m.f1,
    })),
    mostConfused: mostConfused(confusion, options.confusedPairs ?? 10).map((p) => ({
      true: name(p.true),
      predicted: name(p.predicted),
      count: p.count,
    })),
    topLosses: topLosses(scores, labels, options.topLosses ?? 16).map((t) => ({
      ...t,
      true: name(t.true),
      predicted: name(t.predicted),
    })),
  };
}
