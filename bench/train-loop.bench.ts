// The train loop's own cost: one seed-configuration epoch through train() against the same
// steps fed to the engine directly (interleaved, medians), and how long the event loop waits
// while train() runs (what the TUI feels). Needs the full data; uses the sample otherwise.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { initParameters } from '../src/core/model/init.js';
import { PRESETS } from '../src/core/model/spec.js';
import { batchAt, dropoutSeed } from '../src/core/train/batches.js';
import { SEED_HYPERPARAMETERS, stepsPerEpoch } from '../src/core/train/hyperparameters.js';
import { train } from '../src/core/train/loop.js';
import { createEngine } from '../src/engines/index.js';
import { loadDataset } from '../src/io/data/load.js';
import { median, type BenchRow } from './types.js';

export async function run(): Promise<BenchRow[]> {
  const dataset = await loadDataset({ download: false });
  const spec = PRESETS.seed;
  const hp = { ...SEED_HYPERPARAMETERS, epochs: 1 };
  const steps = stepsPerEpoch(dataset.train.count, hp.batchSize);
  const engine = () =>
    createEngine('onnx', { spec, loss: hp.loss, optimizer: hp.optimizer, parameters: initParameters(spec, hp.seed) });
  const GROUP = 16; // train()'s default stepsPerCall

  const direct = async () => {
    const e = await engine();
    const t0 = performance.now();
    for (let b = 0; b < steps; b += GROUP) {
      const group = [];
      for (let i = b; i < Math.min(steps, b + GROUP); i++)
        group.push({
          ...batchAt(dataset.train, hp.batchSize, i),
          learningRate: hp.learningRate,
          dropoutSeed: dropoutSeed(hp.seed, i),
        });
      await e.trainSteps(group);
    }
    const s = (performance.now() - t0) / 1000;
    await e.dispose();
    return s;
  };
  const delays: number[] = [];
  const viaLoop = async () => {
    const e = await engine();
    const h = monitorEventLoopDelay({ resolution: 2 });
    h.enable();
    let s = NaN;
    for await (const ev of train({ engine: e, dataset, spec, hyperparameters: hp }))
      if (ev.type === 'epochEnd') s = ev.seconds;
    h.disable();
    delays.push(h.percentile(99) / 1e6);
    await e.dispose();
    return s;
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < 3; r++) {
    a.push(await direct());
    b.push(await viaLoop());
  }
  const where = dataset.source.subset ? ' (embedded sample)' : '';
  return [
    { name: `train() epoch, seed config${where}`, value: median(b), unit: 's', detail: { samples: b } },
    { name: `engine.trainSteps alone, same steps${where}`, value: median(a), unit: 's', detail: { samples: a } },
    { name: 'train() overhead vs the engine alone', value: median(b) / median(a), unit: 'ratio', target: '≈ 1' },
    {
      name: 'event-loop delay p99 during train()',
      value: median(delays),
      unit: 'ms',
      target: '≤ 100 ms',
      detail: { samples: delays },
    },
  ];
}
