// npm run bench -- tune: the learning-rate finder's time on the full data (recommended model,
// Adam, batch 64, 200 steps, ONNX engine) and the default search's time (8 trials, ≤ 3 epochs,
// halving; the CLI's `fmnist-tui tune` without flags).
import { existsSync } from 'node:fs';
import { createEngine } from '../src/engines/index.js';
import { loadDataset } from '../src/io/data/load.js';
import { findLearningRate } from '../src/tune/lr-finder.js';
import { runSearch, type SearchEvent } from '../src/tune/search.js';
import { initParameters } from '../src/core/model/init.js';
import { PRESETS } from '../src/core/model/spec.js';
import { OPTIMIZER_DEFAULTS } from '../src/core/train/hyperparameters.js';
import { DEFAULT_BUDGET } from '../src/core/tune/halving.js';
import { DEFAULT_SEARCH_SPACE, planTrials } from '../src/core/tune/search-space.js';
import { median, type BenchRow } from './types.js';

const FULL = '/usr/share/datasets/fashion-mnist';

export async function run(): Promise<BenchRow[]> {
  const dataset = await loadDataset({ download: false, dataDir: existsSync(FULL) ? FULL : undefined });
  const note = dataset.train.count < 60000 ? ' (embedded sample: no full data)' : '';
  const rows: BenchRow[] = [];

  const spec = PRESETS.recommended;
  const engine = await createEngine('onnx', {
    spec,
    loss: 'cross_entropy',
    optimizer: OPTIMIZER_DEFAULTS.adam,
    parameters: initParameters(spec, 0),
  });
  const times: number[] = [];
  let steps = 0;
  let suggestion = NaN;
  // The first run on a fresh engine pays for onnxruntime's warm-up; the CLI pays it too.
  let firstRun = NaN;
  try {
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await findLearningRate({ engine, train: dataset.train, batchSize: 64 });
      times.push((performance.now() - t0) / 1000);
      if (i === 0) firstRun = times[0];
      steps = r.learningRates.length;
      suggestion = r.suggestion?.learningRate ?? NaN;
    }
  } finally {
    await engine.dispose();
  }
  rows.push({
    name: `lr finder, recommended + adam, batch 64, onnx${note}`,
    value: median(times),
    unit: 's',
    target: '≈ 2 s',
    detail: { runs: times, firstRun, steps, suggestion },
  });

  const trials = planTrials(DEFAULT_SEARCH_SPACE, 'random', DEFAULT_BUDGET.trials, 0);
  // CPU seconds too: the machine is shared, and CPU time is what another run would need.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let end: Extract<SearchEvent, { type: 'searchEnd' }> | undefined;
  let epochs = 0;
  for await (const e of runSearch({
    train: dataset.train,
    test: dataset.test,
    trials,
    budget: DEFAULT_BUDGET,
    seed: 0,
    createEngine: (o) => createEngine('onnx', o),
  })) {
    if (e.type === 'searchBegin') epochs = e.totalEpochs;
    if (e.type === 'searchEnd') end = e;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const best = end?.best;
  rows.push({
    name: `default search (${trials.length} trials, ${epochs} epochs), onnx${note}`,
    value: seconds,
    unit: 's',
    target: '< 60 s',
    detail: {
      secondsPerEpoch: seconds / epochs,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      loadAverage: (await import('node:os')).loadavg()[0],
      best: best && { ...best.config, testAccuracy: best.testAccuracy, epochs: best.epochs },
    },
  });
  return rows;
}
