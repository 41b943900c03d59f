/**
 * The pictures of a run folder: curves.png (loss and accuracy per epoch, the whole run's batch
 * loss) from the history, and confusion.png (the test split's confusion matrix) from the trained
 * model's predictions. Part of the run-folder writer's first step.
 */
import { join } from 'node:path';
import { analyzeLogits } from '../core/analysis/analysis.js';
import { CLASS_NAMES, NUM_CLASSES, PIXELS, type Split } from '../core/dataset/types.js';
import { describeModel, type ModelSpec } from '../core/model/spec.js';
import { confusionSvg } from '../core/plots/confusion-svg.js';
import { curvesSvg } from '../core/plots/curves-svg.js';
import type { ChartEpoch } from '../core/render/run-charts.js';
import { formatSettings, nonDefaultSettings } from '../core/runs/settings.js';
import type { Hyperparameters } from '../core/train/hyperparameters.js';
import { plotFont, writeSvgAsPng } from './plots.js';
import { RUN_FILES } from './run-folder-files.js';

export interface PlotSource {
  readonly spec: ModelSpec;
  readonly hyperparameters: Hyperparameters;
  readonly history: readonly ChartEpoch[];
  readonly test: Split;
  /** Logits of `count` test images (the trained model). */
  readonly predict: (images: Uint8Array, count: number) => Promise<Float32Array>;
}

export function curvesTitle(spec: ModelSpec, hp: Hyperparameters): string {
  let model: string;
  try {
    model = describeModel(spec);
  } catch {
    model = 'model';
  }
  return `${model} · ${formatSettings(nonDefaultSettings(spec, hp))}`;
}

export async function writeCurvesPng(path: string, source: Omit<PlotSource, 'test' | 'predict'>): Promise<void> {
  await writeSvgAsPng(path, curvesSvg(source.history, plotFont(), curvesTitle(source.spec, source.hyperparameters)), {
    force: true,
  });
}

/** Confusion matrix PNG of `logits` on `test`; returns the accuracy it shows. */
export async function writeConfusionPng(
  path: string,
  logits: Float32Array,
  test: Split,
  options: { force?: boolean } = { force: true },
): Promise<number> {
  const a = analyzeLogits(logits, test.labels, test.count, { topLosses: 0 });
  const title = `Confusion matrix · accuracy ${(100 * a.accuracy).toFixed(2)}% on ${test.count.toLocaleString('en-US')} test images`;
  await writeSvgAsPng(path, confusionSvg(a.confusion, CLASS_NAMES, plotFont(), title), options);
  return a.accuracy;
}

/** Both pictures into `folder` (files are replaced: the folder is the writer's staging folder). */
export async function writeRunPlots(
  folder: string,
  source: PlotSource,
  onStart?: (kind: 'curves' | 'confusion') => void,
) {
  onStart?.('curves');
  await writeCurvesPng(join(folder, RUN_FILES.curves), source);
  onStart?.('confusion');
  const { test } = source;
  const logits = new Float32Array(test.count * NUM_CLASSES);
  for (let start = 0; start < test.count; start += 1000) {
    const n = Math.min(1000, test.count - start);
    logits.set(
      await source.predict(test.images.subarray(start * PIXELS, (start + n) * PIXELS), n),
      start * NUM_CLASSES,
    );
  }
  await writeConfusionPng(join(folder, RUN_FILES.confusion), logits, test);
}
