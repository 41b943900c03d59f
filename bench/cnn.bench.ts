// The `cnn` preset's epoch (60,000 images, batch 64, Adam, train + the 10,000-image test pass) on
// the ONNX engine, side by side with PyTorch 1.13 on the same CNN at its default threads
// (bench/cnn-torch-epoch.py through /usr/bin/python3; that row is skipped without torch), and
// the bench process's peak RSS. The two take turns epoch by epoch (FMNIST_BENCH_CNN_EPOCHS,
// default 2) so both see the same load; figures are medians; the ratio is PyTorch / ONNX.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../src/io/data/load.js';
import { PRESETS } from '../src/core/model/spec.js';
import { initParameters } from '../src/core/model/init.js';
import { OPTIMIZER_DEFAULTS, stepsPerEpoch } from '../src/core/train/hyperparameters.js';
import { batchAt } from '../src/core/train/batches.js';
import { createOnnxEngine } from '../src/engines/onnx-engine.js';
import { median, type BenchRow } from './types.js';

const BATCH = 64;
const GROUP = 16;
const EPOCHS = Number(process.env.FMNIST_BENCH_CNN_EPOCHS ?? 2);
const SPEC = PRESETS.cnn;
const PYTHON = '/usr/bin/python3';

function torchEpoch(dataDir: string): { seconds: number; cpu_seconds: number; threads: number } | undefined {
  const script = fileURLToPath(new URL('cnn-torch-epoch.py', import.meta.url));
  const r = spawnSync(PYTHON, [script, dataDir], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(
      `  cnn bench: PyTorch row skipped (${(r.stderr || String(r.error)).trim().split('\n').at(-1)})\n`,
    );
    return undefined;
  }
  return JSON.parse(r.stdout);
}

export async function run(): Promise<BenchRow[]> {
  const data = await loadDataset({ download: false });
  const { train, test } = data;
  const dataDir = data.source.dir ?? '/usr/share/datasets/fashion-mnist';
  const engine = await createOnnxEngine({
    spec: SPEC,
    loss: 'cross_entropy',
    optimizer: OPTIMIZER_DEFAULTS.adam,
    parameters: initParameters(SPEC, 0),
  });
  const steps = stepsPerEpoch(train.count, BATCH);
  const batch = (i: number) => ({ ...batchAt(train, BATCH, i), learningRate: 1e-3, dropoutSeed: i });
  await engine.trainSteps([batch(0), batch(1)]); // warm-up
  const ours: number[] = [];
  const oursCpu: number[] = [];
  const torch: number[] = [];
  const torchCpu: number[] = [];
  let threads = 0;
  try {
    for (let e = 0; e < EPOCHS; e++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let s = 0; s < steps; s += GROUP)
        await engine.trainSteps(Array.from({ length: Math.min(GROUP, steps - s) }, (_, i) => batch(s + i)));
      await engine.evaluate(test.images, test.labels, test.count);
      ours.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      oursCpu.push((c.user + c.system) / 1e6);
      const t = torchEpoch(dataDir);
      if (t) {
        torch.push(t.seconds);
        torchCpu.push(t.cpu_seconds);
        threads = t.threads;
      }
    }
  } finally {
    await engine.dispose();
  }
  const rows: BenchRow[] = [
    {
      name: 'cnn preset epoch + test pass (onnx, Adam)',
      value: Number(median(ours).toFixed(2)),
      unit: 's',
      detail: { samples: ours, cpuSeconds: oursCpu, images: train.count },
    },
  ];
  if (torch.length > 0)
    rows.push(
      {
        name: `cnn preset epoch + test pass (PyTorch 1.13, ${threads} thread${threads > 1 ? 's' : ''})`,
        value: Number(median(torch).toFixed(2)),
        unit: 's',
        detail: { samples: torch, cpuSeconds: torchCpu },
      },
      {
        name: 'cnn epoch speed-up over PyTorch (same run)',
        value: Number((median(torch) / median(ours)).toFixed(2)),
        unit: '×',
        target: '≥ 1.5×',
        detail: { cpuRatio: median(torchCpu) / median(oursCpu) },
      },
    );
  rows.push({
    name: 'peak RSS of the bench process after the cnn epochs',
    value: Number((process.resourceUsage().maxRSS / 1024).toFixed(0)),
    unit: 'MB',
    target: '≤ 1024 MB',
  });
  return rows;
}
