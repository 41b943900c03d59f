// Loading the full Fashion-MNIST set from the system copy: wall time and peak RSS.
// Each run is a fresh Node process (so RSS is the load's own, not this runner's), medians of 5.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, type BenchRow } from './types.js';

const SYSTEM = '/usr/share/datasets/fashion-mnist';
const RUNS = 5;

// The child: load, then report time, RSS peak (getrusage maxRSS is in kB) and the event loop's
// longest stall while loading (how long a TUI would freeze).
const child = `
import { loadDataset } from './src/io/data/load.ts';
let last = performance.now(), worst = 0;
const timer = setInterval(() => { const now = performance.now(); worst = Math.max(worst, now - last); last = now; }, 1);
const t0 = performance.now();
const d = await loadDataset({ env: { ...process.env, FMNIST_CACHE_DIR: '/nonexistent-fmnist-cache', FMNIST_OFFLINE: '1' } });
const ms = performance.now() - t0;
clearInterval(timer);
if (d.source.kind !== 'system' || !d.verified || d.train.count !== 60000) throw new Error('not the verified system copy');
console.log(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, stallMs: worst }));
`;

export async function run(): Promise<BenchRow[]> {
  if (!existsSync(SYSTEM)) {
    process.stderr.write(`  skipped: ${SYSTEM} not installed (apt install dataset-fashion-mnist)\n`);
    return [];
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  const samples: { ms: number; rssMB: number; stallMs: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], {
      cwd: root,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`data bench child failed: ${r.stderr}`);
    samples.push(JSON.parse(r.stdout.trim().split('\n').at(-1)!));
  }
  // Baseline: the same child without the load, to show what the data itself costs.
  const base = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `await import('./src/io/data/load.ts'); console.log(process.resourceUsage().maxRSS / 1024)`,
    ],
    { cwd: root, encoding: 'utf8' },
  );
  const baseMB = Number(base.stdout.trim());
  const ms = samples.map((s) => s.ms);
  const rss = samples.map((s) => s.rssMB);
  const stall = samples.map((s) => s.stallMs);
  return [
    {
      name: 'load full set from system copy (gunzip + SHA-256 + parse)',
      value: Number(median(ms).toFixed(0)),
      unit: 'ms',
      target: '< 1500 ms',
      detail: { samples: ms },
    },
    {
      name: 'peak RSS of a process that loaded the full set',
      value: Number(median(rss).toFixed(0)),
      unit: 'MB',
      target: '< 300 MB',
      detail: { samples: rss, baselineMB: baseMB },
    },
    {
      name: 'longest event-loop stall while loading',
      value: Number(median(stall).toFixed(0)),
      unit: 'ms',
      detail: { samples: stall },
    },
  ];
}
