// npm run bench: runs every bench/*.bench.ts (or those named on the command line),
// prints one table and writes bench/results.json. Timings live here, never in tests.
// Files named *.slow.bench.ts (a whole training run, minutes long) run only when named:
// `npm run bench -- best-preset`.
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './types.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => (only.length === 0 ? !f.endsWith('.slow.bench.ts') : only.some((o) => f.includes(o))))
  .sort();

const rows: BenchRow[] = [];
for (const file of files) {
  const mod = (await import(new URL(file, import.meta.url).href)) as { run: () => Promise<BenchRow[]> };
  process.stderr.write(`bench: ${file}…\n`);
  const got = await mod.run();
  for (const r of got) {
    rows.push(r);
    process.stderr.write(`  ${r.name}: ${r.value} ${r.unit}\n`);
  }
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));
const w = Math.max(...rows.map((r) => r.name.length), 4);
const peakColumn = rows.some((r) => r.ofPeak !== undefined);
const ofPeak = (r: BenchRow) =>
  peakColumn ? `  ${(r.ofPeak === undefined ? '' : r.ofPeak.toFixed(2)).padStart(7)}` : '';
console.log(`${'what'.padEnd(w)}  ${'value'.padStart(10)}  unit      ${peakColumn ? '  of peak' : ''}  target`);
for (const r of rows)
  console.log(`${r.name.padEnd(w)}  ${fmt(r.value).padStart(10)}  ${r.unit.padEnd(10)}${ofPeak(r)}  ${r.target ?? ''}`);
const out = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
  rows,
};
writeFileSync(new URL('results.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
console.log(`\nwritten: bench/results.json`);
