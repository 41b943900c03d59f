// Cold start as a user meets it, from dist/ (built first): `fmnist-tui --help`, and the
// interactive session's first frame (in a pseudo-terminal from script(1), 80×24), each
// against Node's own start-up (`node -e 0`) measured in turn, since the machine is shared.
// Targets: --help < 150 ms, first frame < 500 ms. CPU time (user + system of the node
// process) is less sensitive to other load than wall time.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { median, type BenchRow } from './types.js';

const root = new URL('../', import.meta.url).pathname;
const ROUNDS = Number(process.env.STARTUP_BENCH_ROUNDS ?? 7);
const cli = `${root}dist/cli.js`;

function timeNode(args: string[]): { ms: number; cpuMs: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - t0;
  const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { ms, cpuMs: (user + sys) * 1000 };
}

/** CPU milliseconds so far of the node process under script(1) (its child). */
function childCpuMs(scriptPid: number): number {
  try {
    const child = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(' ')[0];
    const fields = readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in 1/100 s
  } catch {
    return NaN;
  }
}

function firstFrame(): Promise<{ ms: number; cpuMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const env = { ...process.env, COLUMNS: '80', LINES: '24', TERM: 'xterm-256color', NO_COLOR: '1' };
    const p = spawn('script', ['-qfec', `${process.execPath} ${cli}`, '/dev/null'], { cwd: root, env });
    let out = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`no first frame after 20 s: ${JSON.stringify(out.slice(0, 200))}`));
    }, 20_000);
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!/step 1\/7/.test(out)) return;
      const ms = performance.now() - t0;
      const cpuMs = childCpuMs(p.pid!);
      clearTimeout(timer);
      p.kill('SIGKILL');
      resolve({ ms, cpuMs });
    });
  });
}

export async function run(): Promise<BenchRow[]> {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) process.stderr.write(`  startup bench: npm run build failed; measuring the dist/ there is\n`);
  const node: ReturnType<typeof timeNode>[] = [];
  const help: ReturnType<typeof timeNode>[] = [];
  const frame: { ms: number; cpuMs: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    node.push(timeNode(['-e', '0']));
    help.push(timeNode([cli, '--help']));
    frame.push(await firstFrame());
  }
  const med = (xs: { ms: number; cpuMs: number }[], k: 'ms' | 'cpuMs') => median(xs.map((x) => x[k]));
  return [
    {
      name: 'node -e 0 (Node start-up, for reference)',
      value: med(node, 'ms'),
      unit: 'ms',
      detail: { cpuMs: med(node, 'cpuMs') },
    },
    {
      name: 'fmnist-tui --help',
      value: med(help, 'ms'),
      unit: 'ms',
      target: '< 150 ms',
      detail: { cpuMs: med(help, 'cpuMs'), overNodeStartMs: med(help, 'ms') - med(node, 'ms'), runs: help },
    },
    {
      name: "session's first frame (80×24 pty)",
      value: med(frame, 'ms'),
      unit: 'ms',
      target: '< 500 ms',
      detail: { cpuMs: med(frame, 'cpuMs'), runs: frame },
    },
  ];
}
