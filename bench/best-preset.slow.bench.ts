// `fmnist-tui train --preset best`, exactly as a user runs it (the built CLI, a child process, full
// data from the system copy), timed from spawn to exit: its final test accuracy and wall time, against
// the RECIPE issue's targets (≥ 93.5% within 15 minutes here). About a quarter of an hour on 2 cores;
// run it alone, on a quiet machine: `npm run build && npm run bench -- best-preset`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './types.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

interface EpochEnd {
  readonly type: 'epochEnd';
  readonly epoch: number;
  readonly testAccuracy: number;
  readonly seconds: number;
}

export async function run(): Promise<BenchRow[]> {
  const t0 = performance.now();
  const epochs: EpochEnd[] = [];
  let pending = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'train', '--preset', 'best', '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes('"epochEnd"')) continue;
        const e = JSON.parse(line) as EpochEnd;
        epochs.push(e);
        process.stderr.write(`  epoch ${e.epoch}: ${(e.testAccuracy * 100).toFixed(2)}% (${e.seconds.toFixed(1)} s)\n`);
      }
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wall = (performance.now() - t0) / 1000;
  const last = epochs.at(-1);
  if (code !== 0 || last === undefined) throw new Error(`fmnist-tui train --preset best exited with ${code}`);
  return [
    {
      name: `train --preset best: test accuracy after ${last.epoch} epochs`,
      value: last.testAccuracy * 100,
      unit: '%',
      target: '≥ 93.5 (goal 94)',
      detail: { perEpoch: epochs.map((e) => e.testAccuracy) },
    },
    {
      name: 'train --preset best: wall time, start to exit',
      value: wall / 60,
      unit: 'min',
      target: '≤ 15',
      detail: { epochSeconds: epochs.map((e) => e.seconds) },
    },
  ];
}
