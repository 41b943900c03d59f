// Both engines side by side on the same work: the seed configuration (784-512-512-10 with the
// final ReLU, SGD lr 1e-3, cross-entropy, batch 64) for a run of steps on real data from the
// same initial weights, plus the 10,000-image test pass. Seconds per epoch are extrapolated
// from the median step time (937.5 steps per epoch). The machine is shared: compare the ratio.
import { loadDataset } from '../src/io/data/load.js';
import { PRESETS } from '../src/core/model/spec.js';
import { initParameters } from '../src/core/model/init.js';
import { SEED_HYPERPARAMETERS, stepsPerEpoch } from '../src/core/train/hyperparameters.js';
import { batchAt } from '../src/core/train/batches.js';
import type { Engine, EngineOptions, TrainBatch } from '../src/core/train/engine.js';
import { createTfjsEngine } from '../src/engines/tfjs-engine.js';
import { createEngine } from '../src/engines/index.js';
import { median, type BenchRow } from './types.js';

const BATCH = 64;
/** Steps per engine: 200 by default ($FMNIST_BENCH_TFJS_STEPS to change). */
const STEPS = Number(process.env.FMNIST_BENCH_TFJS_STEPS ?? 200);
/** Steps per trainSteps call, like the train loop's default. */
const GROUP = 16;

interface Measured {
  readonly backend: string;
  readonly secondsPerEpoch: number;
  readonly testPassSeconds: number;
  readonly firstLoss: number;
  readonly lastLoss: number;
  readonly steps: number;
}

type Factory = (options: EngineOptions) => Promise<Engine>;

const CANDIDATES: readonly { label: string; create: Factory; steps: number }[] = [
  { label: 'onnx', create: (o) => createEngine('onnx', o), steps: STEPS },
  { label: 'tfjs', create: (o) => createEngine('tfjs', o), steps: STEPS },
  // TF.js's own matMul gradient everywhere (what DESIGN.md's ~78 s/epoch measured): fewer steps, it is slow.
  {
    label: 'tfjs pure autodiff',
    create: (o) => createTfjsEngine(o, { pureAutodiff: true }),
    steps: Math.min(STEPS, 48),
  },
];

async function measure(
  create: Factory,
  steps: number,
  train: { images: Uint8Array; labels: Uint8Array; count: number },
  test: { images: Uint8Array; labels: Uint8Array; count: number },
): Promise<Measured | string> {
  let engine: Engine;
  try {
    engine = await create({
      spec: PRESETS.seed,
      loss: 'cross_entropy',
      optimizer: SEED_HYPERPARAMETERS.optimizer,
      parameters: initParameters(PRESETS.seed, 0),
    });
  } catch (e) {
    return (e as Error).message;
  }
  try {
    const batch = (i: number): TrainBatch => ({
      ...batchAt(train, BATCH, i % stepsPerEpoch(train.count, BATCH)),
      learningRate: 1e-3,
      dropoutSeed: i,
    });
    await engine.trainSteps([batch(0), batch(1)]); // warm-up (kernel compilation, allocations)
    const perStep: number[] = [];
    const losses: number[] = [];
    for (let s = 2; s < steps + 2; s += GROUP) {
      const group = Array.from({ length: Math.min(GROUP, steps + 2 - s) }, (_, i) => batch(s + i));
      const t0 = performance.now();
      const l = await engine.trainSteps(group);
      perStep.push((performance.now() - t0) / 1000 / group.length);
      losses.push(...l);
    }
    const testTimes: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      await engine.evaluate(test.images, test.labels, test.count);
      testTimes.push((performance.now() - t0) / 1000);
    }
    return {
      backend: engine.backend,
      secondsPerEpoch: median(perStep) * (60000 / BATCH),
      testPassSeconds: median(testTimes),
      firstLoss: losses[0],
      lastLoss: losses.at(-1)!,
      steps,
    };
  } finally {
    await engine.dispose();
  }
}

export async function run(): Promise<BenchRow[]> {
  const data = await loadDataset({ download: false });
  const rows: BenchRow[] = [];
  const results = new Map<string, Measured>();
  for (const { label: name, create, steps } of CANDIDATES) {
    const m = await measure(create, steps, data.train, data.test);
    if (typeof m === 'string') {
      process.stderr.write(`  ${name}: skipped (${m})\n`);
      continue;
    }
    results.set(name, m);
    const detail = {
      backend: m.backend,
      steps: m.steps,
      batch: BATCH,
      data: data.source.description,
      firstLoss: m.firstLoss,
      lastLoss: m.lastLoss,
    };
    rows.push({
      name: `engines: train epoch, seed config (${name}: ${m.backend})`,
      value: m.secondsPerEpoch,
      unit: 's/epoch',
      detail,
    });
    rows.push({
      name: `engines: test pass 10k images (${name})`,
      value: m.testPassSeconds,
      unit: 's',
      detail: { backend: m.backend },
    });
  }
  const onnx = results.get('onnx');
  const tfjs = results.get('tfjs');
  const pure = results.get('tfjs pure autodiff');
  if (tfjs && pure)
    rows.push({
      name: 'engines: tfjs pure autodiff / tfjs time per epoch',
      value: pure.secondsPerEpoch / tfjs.secondsPerEpoch,
      unit: '×',
    });
  if (onnx && tfjs) {
    rows.push({
      name: 'engines: tfjs / onnx time per epoch',
      value: tfjs.secondsPerEpoch / onnx.secondsPerEpoch,
      unit: '×',
      detail: {
        onnx: onnx.backend,
        tfjs: tfjs.backend,
        lossesAgree: Math.abs(onnx.lastLoss - tfjs.lastLoss) / Math.abs(onnx.lastLoss),
      },
    });
  }
  return rows;
}
