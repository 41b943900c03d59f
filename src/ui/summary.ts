import { NUM_CLASSES, PIXELS, type Dataset } from '../core/dataset/types.js';
import type { DataSummary } from './state.js';

function classCounts(labels: Uint8Array, count: number): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < count; i++) counts[labels[i]]++;
  return counts;
}

/** What the Data step shows about a loaded dataset: counts per class and one sample of each class. */
export function summarizeDataset(dataset: Dataset, samples = NUM_CLASSES): DataSummary {
  const { train, test } = dataset;
  const picked: { pixels: Uint8Array; label: number }[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < train.count && picked.length < samples; i++) {
    const label = train.labels[i];
    if (seen.has(label)) continue;
    seen.add(label);
    picked.push({ pixels: train.images.slice(i * PIXELS, (i + 1) * PIXELS), label });
  }
  return {
    source: dataset.source.description,
    subset: dataset.source.subset,
    verified: dataset.verified,
    trainCount: train.count,
    testCount: test.count,
    trainClassCounts: classCounts(train.labels, train.count),
    testClassCounts: classCounts(test.labels, test.count),
    samples: picked,
  };
}

/** Test images for the prediction previews: the first of each class, in class order. */
export function previewIndices(dataset: Dataset, count = 6): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < dataset.test.count && out.length < count; i++) {
    if (seen.has(dataset.test.labels[i])) continue;
    seen.add(dataset.test.labels[i]);
    out.push(i);
  }
  return out;
}
