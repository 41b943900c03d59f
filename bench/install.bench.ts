// What a user downloads and waits for: `npm pack`, then the tarball installed into an empty
// folder with the README's .npmrc line (installed size, install time), and `npx` of the
// tarball (npm's package cache warm, its own install fresh) running `--help`. Needs the npm
// registry; skips with a note when it cannot be reached. Target: installed size ≤ 400 MB
// (673 MB with the @tensorflow/tfjs umbrella; TF.js is now bundled, scripts/bundle-tfjs.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './types.js';

const root = new URL('../', import.meta.url).pathname;

function timed(cmd: string, args: string[], cwd: string, env = process.env) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  return { ...r, seconds: (performance.now() - t0) / 1000 };
}

/** Disk usage of a folder in MB, as `du -sk` counts it. */
function diskMb(dir: string): number {
  const r = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
  return Number(r.stdout.split('\t')[0]) / 1024;
}

export async function run(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'fmnist-install-bench-'));
  try {
    const pack = timed('npm', ['pack', '--silent', '--pack-destination', work], root);
    if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    const tarball = join(work, pack.stdout.trim().split('\n').pop()!);
    const app = join(work, 'app');
    spawnSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'install-bench', private: true }));
    writeFileSync(join(app, '.npmrc'), 'onnxruntime-node-install=skip\n');
    const install = timed('npm', ['install', '--no-audit', '--no-fund', tarball], app);
    if (install.status !== 0) {
      process.stderr.write(
        `  install bench: skipped, npm install failed (offline?): ${install.stderr.split('\n')[0]}\n`,
      );
      return [];
    }
    const modules = join(app, 'node_modules');
    const sizes = Object.fromEntries(
      readdirSync(modules)
        .flatMap((d) => (d.startsWith('@') ? readdirSync(join(modules, d)).map((s) => `${d}/${s}`) : [d]))
        .filter((d) => !d.startsWith('.'))
        .map((d): [string, number] => [d, Math.round(diskMb(join(modules, d)) * 10) / 10])
        .filter(([, mb]) => mb >= 1)
        .sort((a, b) => b[1] - a[1]),
    );
    const help = timed(join(modules, '.bin', 'fmnist-tui'), ['--help'], app);
    // npx of the tarball: a new path means a fresh npx install (npm's package cache stays warm).
    const npxDir = join(work, 'npx');
    spawnSync('mkdir', ['-p', npxDir]);
    writeFileSync(join(npxDir, '.npmrc'), 'onnxruntime-node-install=skip\n');
    // (--package: a bare absolute path would be run as the command itself.)
    const npx = timed('npx', ['--yes', `--package=${tarball}`, 'fmnist-tui', '--help'], npxDir);
    return [
      {
        name: 'npm pack: tarball size',
        value: statSync(tarball).size / 2 ** 20,
        unit: 'MB',
      },
      {
        name: 'installed size: npm install <tarball> into an empty folder (node_modules)',
        value: diskMb(modules),
        unit: 'MB',
        target: '≤ 400 MB',
        detail: { packagesOver1MB: sizes },
      },
      { name: 'npm install <tarball> (npm cache warm)', value: install.seconds, unit: 's' },
      {
        name: 'npx <tarball> --help (fresh npx install, npm cache warm)',
        value: npx.seconds,
        unit: 's',
        detail: { status: npx.status, ok: /Usage/.test(npx.stdout), stderr: npx.stderr.slice(-300) },
      },
      { name: 'installed fmnist-tui --help (first run)', value: help.seconds, unit: 's' },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
