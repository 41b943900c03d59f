// `fmnist-tui runs`, `runs show`, `runs compare` over folders saved by `train --save` (on the
// embedded sample), plus an older version's folder, a half-written one and a broken one.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const env = {
  ...process.env,
  NO_COLOR: '1',
  FMNIST_OFFLINE: '1',
  FMNIST_DATA_DIR: join(root, 'assets/fashion-mnist-sample'),
};
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], {
    cwd: root,
    encoding: 'utf8',
    env,
    timeout: 300_000,
  });
const dir = mkdtempSync(join(tmpdir(), 'fmnist-runs-'));
const runs = join(dir, 'runs');

before(() => {
  for (const [name, flags] of [
    ['sgd', ['--epochs', '2']],
    ['adam', ['--epochs', '1', '--optimizer', 'adam', '--lr', '0.002', '--shuffle']],
  ] as const) {
    const r = cli('train', ...flags, '--save', join(runs, name));
    if (r.status !== 0) throw new Error(`train --save failed: ${r.stderr}`);
  }
  // An older version's folder: its metrics.json without batch losses, from version 0.0.9.
  const old = join(runs, 'old');
  mkdirSync(old);
  const m = JSON.parse(readFileSync(join(runs, 'sgd', 'metrics.json'), 'utf8'));
  m.version = '0.0.9';
  for (const h of m.history) delete h.batchLoss;
  writeFileSync(join(old, 'metrics.json'), JSON.stringify(m));
  // A save that stopped after the checkpoint: no metrics.json, no model.onnx.
  const half = join(runs, 'half');
  mkdirSync(half);
  copyFileSync(join(runs, 'adam', 'checkpoint.ckpt'), join(half, 'checkpoint.ckpt'));
  // A metrics.json cut off mid-write.
  const broken = join(runs, 'broken');
  mkdirSync(broken);
  writeFileSync(join(broken, 'metrics.json'), '{"version": "0.1.0", "hist');
  mkdirSync(join(runs, 'not-a-run'));
});

test('runs lists every run folder with date, model, settings, epochs, best/final accuracy and time', () => {
  const r = cli('runs', runs);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /^run +model +epochs +best +final +time\n/);
  assert.match(out, /\/adam +seed +1 +\d+\.\d\d% @1 +\d+\.\d\d% +\d/);
  assert.match(out, /\n {2}\d{4}-\d\d-\d\d \d\d:\d\d · lr=0\.002 optimizer=adam shuffle=on\n/);
  assert.match(out, /\/sgd +seed +2 +\d+\.\d\d% @\d/);
  assert.match(out, /\/old +seed +2 .*\n.*\n {2}note: saved by fmnist-tui 0\.0\.9/);
  assert.match(
    out,
    /\/half +seed +1 .*\n.*\n {2}note: no metrics\.json\n {2}note: read the history from checkpoint\.ckpt\n {2}note: no model\.onnx or verify-report\.json/,
  );
  assert.match(
    out,
    /\/broken +\? +0 .*\n.* · settings unknown\n {2}note: metrics\.json is unreadable \(not valid JSON\)/,
  );
  assert.doesNotMatch(out, /not-a-run/);
});

test('runs --json gives one object per run', () => {
  const r = cli('runs', runs, '--json');
  assert.equal(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { dir: string; settings: Record<string, string>; epochs: number }[];
  assert.deepEqual(
    list.map((x) => x.dir.split('/').at(-1)),
    ['adam', 'broken', 'half', 'old', 'sgd'],
  );
  const adam = list.find((x) => x.dir.endsWith('adam'))!;
  assert.deepEqual(adam.settings, { lr: '0.002', optimizer: 'adam', shuffle: 'on' });
  assert.equal(adam.epochs, 1);
});

test('runs show draws the epoch table and the charts; an old run has no batch-loss line and says so', () => {
  const r = cli('runs', 'show', join(runs, 'sgd'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\nepoch +train loss +test loss +test acc +time\n +1 +\d\.\d{6}/);
  assert.match(r.stdout, /loss\/epoch {2}● train loss {2}■ test loss +accuracy\/epoch {2}● test acc/);
  assert.match(r.stdout, /● batch loss over the whole run\n.*┤/);
  const old = cli('runs', 'show', join(runs, 'old'));
  assert.equal(old.status, 0, old.stderr);
  assert.match(old.stdout, /\(no batch losses saved in this run\)/);
});

test('runs compare overlays the runs and tables the settings that differ', () => {
  const r = cli('runs', 'compare', join(runs, 'sgd'), join(runs, 'adam'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^test accuracy {2}● sgd {2}■ adam\n/);
  assert.match(r.stdout, /\ntest loss {2}● sgd {2}■ adam\n/);
  assert.match(r.stdout, /\nlr +0\.001 +0\.002\n/);
  assert.match(r.stdout, /\noptimizer +sgd +adam\n/);
  assert.match(r.stdout, /\nshuffle +off +on\n/);
  assert.match(r.stdout, /\nepochs +2 +1\n/);
  const j = JSON.parse(cli('runs', 'compare', join(runs, 'sgd'), join(runs, 'adam'), '--json').stdout);
  assert.deepEqual(j.differing, ['lr', 'optimizer', 'shuffle']);
});

test('runs refuses bad input in one line', () => {
  const cases: [string[], number, RegExp][] = [
    [[join(dir, 'nowhere')], 1, /nowhere does not exist \(runs are saved by 'fmnist-tui train --save' into \.\/runs/],
    [['show'], 2, /runs show needs one run folder \(got 0/],
    [['show', join(runs, 'not-a-run')], 1, /not-a-run is not a run folder/],
    [['compare', join(runs, 'sgd')], 2, /runs compare needs two or more run folders \(got 1/],
  ];
  for (const [args, status, message] of cases) {
    const r = cli('runs', ...args);
    assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const empty = cli('runs', join(runs, 'not-a-run'));
  assert.equal(empty.status, 0);
  assert.match(empty.stdout, /^No runs in .*not-a-run/);
});
