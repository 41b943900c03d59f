// The training recipe's costs: one epoch through train() with augmentation (flip, crop:2, erase,
// in the uint8 batch gather) against the same epoch without it (interleaved runs, medians; the
// issue allows ≤ 10%), and the augmentation alone per epoch. Seed MLP, shuffle, batch 64; full data
// if installed, else the embedded sample.
import { initParameters } from '../src/core/model/init.js';
import { PRESETS } from '../src/core/model/spec.js';
import { augmentBatch, augmentSeed } from '../src/core/train/augment.js';
import { batchAt, epochOrder } from '../src/core/train/batches.js';
import { engineOptionsFor } from '../src/core/train/engine.js';
import { SEED_HYPERPARAMETERS, stepsPerEpoch, type Hyperparameters } from '../src/core/train/hyperparameters.js';
import { train } from '../src/core/train/loop.js';
import { createEngine } from '../src/engines/index.js';
import { loadDataset } from '../src/io/data/load.js';
import { median, type BenchRow } from './types.js';

const AUGMENT = { flip: true, crop: 2, erase: true };

export async function run(): Promise<BenchRow[]> {
  const dataset = await loadDataset({ download: false });
  const spec = PRESETS.seed;
  const base: Hyperparameters = { ...SEED_HYPERPARAMETERS, epochs: 1, shuffle: true };
  const epoch = async (hp: Hyperparameters) => {
    const engine = await createEngine('onnx', engineOptionsFor(spec, hp, initParameters(spec, hp.seed)));
    let seconds = NaN;
    for await (const e of train({ engine, dataset, spec, hyperparameters: hp }))
      if (e.type === 'epochEnd') seconds = e.seconds;
    await engine.dispose();
    return seconds;
  };
  const plain: number[] = [];
  const augmented: number[] = [];
  for (let r = 0; r < 5; r++) {
    plain.push(await epoch(base));
    augmented.push(await epoch({ ...base, augment: AUGMENT }));
  }
  // The gather + augmentation alone, for one epoch's batches.
  const alone: number[] = [];
  const steps = stepsPerEpoch(dataset.train.count, base.batchSize);
  for (let r = 0; r < 5; r++) {
    const order = epochOrder(dataset.train.count, true, 0, 1);
    const t0 = performance.now();
    for (let s = 0; s < steps; s++)
      augmentBatch(batchAt(dataset.train, base.batchSize, s, order), AUGMENT, augmentSeed(0, s));
    alone.push((performance.now() - t0) / 1000);
  }
  const where = dataset.source.subset ? ' (embedded sample)' : '';
  return [
    { name: `train() epoch, seed MLP + shuffle${where}`, value: median(plain), unit: 's', detail: { samples: plain } },
    {
      name: `same with --augment flip,crop:2,erase${where}`,
      value: median(augmented),
      unit: 's',
      detail: { samples: augmented },
    },
    {
      name: 'augmented / plain epoch',
      value: median(augmented) / median(plain),
      unit: 'ratio',
      target: '≤ 1.10',
    },
    {
      name: `augmentation alone, one epoch's batches${where}`,
      value: median(alone),
      unit: 's',
      detail: { samples: alone },
    },
  ];
}
