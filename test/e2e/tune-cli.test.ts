import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTune } from '../../src/commands/tune.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';
import type { CommandContext } from '../../src/commands/context.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', 'tune', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FMNIST_OFFLINE: '1', ...env },
    timeout: 120_000,
  });

test('tune --help teaches both modes', () => {
  const r = cli(['--help']);
  assert.equal(r.status, 0);
  for (const flag of [
    '--trials',
    '--epochs',
    '--subset',
    '--mode',
    '--lr-find',
    '--start-lr',
    '--save-default',
    '--json',
  ])
    assert.ok(r.stdout.includes(flag), flag);
});

/** In-process: the refusals happen before any data or engine is touched. */
async function refusal(args: string[]): Promise<{ message: string; exitCode: number }> {
  const sink = { write: () => true } as unknown as CommandContext['stdout'];
  try {
    await runTune(args, { stdout: sink, stderr: sink, env: { FMNIST_OFFLINE: '1' }, debug: false });
  } catch (err) {
    return { message: (err as Error).message, exitCode: (err as { exitCode?: number }).exitCode ?? -1 };
  }
  throw new Error(`${args.join(' ')}: not refused`);
}

test('bad budgets, ranges and mixed-up flags are refused in one line, exit 2, before any work', async () => {
  const cases: [string[], RegExp][] = [
    [['--trials', '0'], /^budget: trials must be a whole number from 1 to 256 \(got 0\)$/],
    [['--trials', 'many'], /^--trials must be a number \(got 'many'\)$/],
    [['--epochs', '0'], /^budget: epochs must be a whole number from 1 to 100 \(got 0\)$/],
    [['--epochs', '1.5'], /^--epochs must be a whole number \(got '1.5'\)$/],
    [['--eta', '1'], /halving factor must be a whole number from 2 to 10 \(got 1\)/],
    [['--subset', '3'], /subset must be a whole number of at least 10 images/],
    [
      ['--lr-min', '1e-2', '--lr-max', '1e-4'],
      /^search: the lowest learning rate \(0.01\) is above the highest \(0.0001\); swap them$/,
    ],
    [['--lr-min', '0', '--lr-max', '1'], /learning rates must be numbers above 0/],
    [['--lr-min', '1e-3'], /give both --lr-min and --lr-max/],
    [['--lr-min', '1e-3', '--lr-max', '50'], /learning rates must lie between 1e-8 and 10/],
    [['--batch-sizes', '64,0'], /batch sizes must be whole numbers of at least 1 \(got 0\)/],
    [['--batch-sizes', '64,,128'], /--batch-sizes: empty item/],
    [['--optimizers', 'adagrad'], /--optimizers: unknown value 'adagrad' \(choose sgd, adam, rmsprop, adamw\)/],
    [['--presets', 'big'], /--presets: unknown value 'big'/],
    [['--hidden-sizes', '512,0'], /hidden layer sizes must be whole numbers from 1 to 8192/],
    [['--mode', 'bayes'], /--mode: unknown value 'bayes' \(choose random, grid\)/],
    [['--mode', 'grid', '--trials', '4'], /--trials applies to --mode random/],
    [
      ['--mode', 'grid', '--batch-sizes', '8,16,32,64,128,256', '--hidden-sizes', '8/16/32/64', '--grid-lrs', '5'],
      /the grid has 720 combinations, more than 256/,
    ],
    [['--holdout', '5'], /^--holdout must be a whole number of at least 10 images, one per class \(got 5\)$/],
    [['--final-epochs', '0'], /--final-epochs must be a whole number of at least 1/],
    [['--optimizer', 'adam'], /^--optimizer applies to --lr-find; the search takes --optimizers/],
    [['--lr', '0.1'], /--lr applies to --lr-find; the search takes --lr-min and --lr-max/],
    [['--lr-find', '--trials', '3'], /^--trials is a search flag; --lr-find runs the finder only/],
    [['--lr-find', '--start-lr', '0'], /^lr-find: the start learning rate must be a number above 0 \(got 0\)$/],
    [['--lr-find', '--start-lr', '1', '--end-lr', '0.5'], /end learning rate must be above the start/],
    [['--lr-find', '--steps', '5'], /steps must be a whole number from 10 to 10000/],
    [['--lr-find', '--lr', '0.1'], /--lr is what --lr-find finds/],
    [['--lr-find', '--batch-size', '0'], /batch size must be a whole number of at least 1/],
    [['--lr-find', '--optimizer', 'adagrad'], /--optimizer: unknown value 'adagrad'/],
    [['--frobnicate'], /Unknown option '--frobnicate'.*\(see 'fmnist-tui tune --help'\)/],
    [
      ['--lr-find', '--start-lr', '-1'],
      /^--start-lr -1: write a value starting with '-' attached, as --start-lr=-1 \(see 'fmnist-tui tune --help'\)$/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await refusal(args);
    assert.equal(r.exitCode, 2, args.join(' '));
    assert.ok(!r.message.includes('\n'), r.message);
    assert.match(r.message, message, args.join(' '));
  }
});

test('a --holdout that leaves too little to train on says what to give instead (HARDEN 20)', async () => {
  const sample = embeddedDataDir();
  const cases: [string[], string][] = [
    [
      ['--holdout', '5999', '--batch-sizes', '64,128'],
      '--holdout 5999 leaves 1 image to train on, fewer than the largest batch size tried (128): ' +
        'give --holdout 5872 or less (the training set has 6,000 images)',
    ],
    [
      ['--holdout', '6000', '--batch-sizes', '64'],
      '--holdout 6000 leaves nothing to train on, fewer than the largest batch size tried (64): ' +
        'give --holdout 5936 or less (the training set has 6,000 images)',
    ],
    [
      ['--holdout', '3000', '--subset', '4000', '--batch-sizes', '64'],
      '--holdout 3000 leaves 3,000 images to train on, fewer than the --subset 4000: ' +
        'give --holdout 2000 or less (the training set has 6,000 images)',
    ],
  ];
  for (const [args, message] of cases) {
    const r = await refusal([...args, '--data-dir', sample]);
    assert.equal(r.exitCode, 2, args.join(' '));
    assert.equal(r.message, message);
  }
});

test('through the CLI, a refusal is one line on stderr with exit 2 and nothing on stdout', () => {
  for (const args of [
    ['--trials', '0'],
    ['--lr-find', '--start-lr', '0'],
  ]) {
    const r = cli(args);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^fmnist-tui: (budget|lr-find): /);
    assert.equal(r.stdout, '');
  }
});

test('a subset larger than the training set is refused once the data is known', (t) => {
  // The embedded sample has 6,000 training images; FMNIST_DATA_DIR to an empty folder would fail
  // differently, so use the sample through the offline fallback only when no system copy exists.
  if (existsSync('/usr/share/datasets/fashion-mnist')) {
    const r = cli(['--subset', '70000']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr.trim(),
      /^fmnist-tui: budget: the subset \(70000 images\) is larger than the training set \(60000 images\)$/,
    );
  } else t.skip('needs the full data in /usr/share/datasets/fashion-mnist');
});

/** The default engine: always in the build, so an onnx failure fails this test (no fallback to tfjs). */
const engine = 'onnx';

test(`${engine}: a tiny search runs end to end and prints the best as train flags and JSON`, () => {
  const config = mkdtempSync(join(tmpdir(), 'fmnist-tune-'));
  const args = [
    '--engine',
    engine,
    '--subset',
    '300',
    '--trials',
    '4',
    '--epochs',
    '2',
    '--hidden-sizes',
    '16',
    '--optimizers',
    'adam,sgd',
    '--presets',
    'recommended',
    '--batch-sizes',
    '32',
  ];
  const probe = cli([...args, '--json', '--save-default'], { FMNIST_CONFIG_DIR: config });
  assert.equal(probe.status, 0, probe.stderr);
  const out = JSON.parse(probe.stdout) as {
    best: { command: string; optimizer: string; testAccuracy: number; epochsTrained: number };
    trials: unknown[];
  };
  assert.match(
    out.best.command,
    /^fmnist-tui train --preset recommended --hidden 16 --optimizer (adam|sgd) --lr \S+ --batch-size 32 --shuffle --epochs 10 --seed 0$/,
  );
  assert.equal(out.best.epochsTrained, 2);
  assert.equal(out.trials.length, 4);
  const stored = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as {
    hyperparameters: { optimizer: { kind: string }; shuffle: boolean; batchSize: number };
  };
  assert.equal(stored.hyperparameters.optimizer.kind, out.best.optimizer);
  assert.equal(stored.hyperparameters.shuffle, true);
  assert.equal(stored.hyperparameters.batchSize, 32);

  const plain = cli(args);
  assert.equal(plain.status, 0, plain.stderr);
  const lines = plain.stdout.trim().split('\n');
  assert.match(lines[0], /^#  model +optim +lr +batch +epoch +accuracy +loss +time +status$/);
  assert.ok(
    lines.some((l) => /^-- after 1 epoch: kept #\d #\d$/.test(l)),
    plain.stdout,
  );
  assert.match(
    lines.at(-2)!,
    /^best: #\d recommended 16, (adam|sgd), lr \S+, batch 32: \d+\.\d% test accuracy after 2 epochs$/,
  );
  assert.equal(lines.at(-1)!.trim(), out.best.command, 'same seed, same result');
});

test(`${engine}: --holdout scores trials on held-out training images`, () => {
  const r = cli([
    '--engine',
    engine,
    '--holdout',
    '500',
    '--subset',
    '300',
    '--trials',
    '2',
    '--epochs',
    '1',
    '--hidden-sizes',
    '8',
    '--presets',
    'recommended',
    '--optimizers',
    'adam',
    '--json',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /scored on 500 held-out training images/);
  const out = JSON.parse(r.stdout) as { scoredOn: string; best: { testAccuracy: number } };
  assert.equal(out.scoredOn, 'holdout');
  // Accuracy on 500 images moves in steps of 0.2%.
  assert.ok(Number.isInteger(Math.round(out.best.testAccuracy * 500 * 1e6) / 1e6));
  const big = cli(['--engine', engine, '--holdout', '70000']);
  assert.equal(big.status, 2);
  assert.match(
    big.stderr.trim(),
    /^fmnist-tui: (--holdout 70000 leaves nothing to train on|a balanced subset of 70000 images needs)/,
  );
});

test(`${engine}: --lr-find draws the plot and prints a suggestion; --json gives the curve`, () => {
  const r = cli([
    '--lr-find',
    '--engine',
    engine,
    '--preset',
    'recommended',
    '--hidden',
    '16',
    '--optimizer',
    'adam',
    '--steps',
    '60',
    '--ascii',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^smoothed loss vs learning rate \(log scale\)$/m);
  assert.match(r.stdout, /1e-7 .*1e-3 /);
  assert.match(r.stdout, /\^ \S+ suggested/);
  assert.match(r.stdout, /^suggested learning rate: \S+ \(/m);
  assert.match(
    r.stdout,
    /^ {2}fmnist-tui train --engine \w+ --preset recommended --hidden 16 --optimizer adam --lr \S+$/m,
  );
  assert.match(r.stdout, /^[\x00-\x7f]*$/, 'ASCII only with --ascii');
  const j = cli([
    '--lr-find',
    '--engine',
    engine,
    '--preset',
    'recommended',
    '--hidden',
    '16',
    '--steps',
    '40',
    '--json',
  ]);
  assert.equal(j.status, 0, j.stderr);
  const out = JSON.parse(j.stdout) as {
    learningRates: number[];
    smoothedLosses: number[];
    suggestion: { learningRate: number } | null;
  };
  assert.equal(out.learningRates.length, out.smoothedLosses.length);
  assert.ok(out.learningRates.length > 5);
});

test('on a TTY the table is redrawn in place and ends sorted by accuracy', async () => {
  let text = '';
  const tty = {
    isTTY: true,
    columns: 100,
    write: (s: string) => ((text += s), true),
  } as unknown as CommandContext['stdout'];
  const quiet = { write: () => true } as unknown as CommandContext['stderr'];
  const code = await runTune(
    [
      '--engine',
      'tfjs',
      '--subset',
      '300',
      '--trials',
      '4',
      '--epochs',
      '2',
      '--hidden-sizes',
      '8',
      '--optimizers',
      'adam',
      '--presets',
      'recommended',
    ],
    {
      stdout: tty,
      stderr: quiet,
      env: { FMNIST_OFFLINE: '1' },
      debug: false,
    },
  );
  assert.equal(code, 0);
  assert.match(text, /\x1b\[\d+A/, 'cursor moves up to redraw');
  // The last frame: everything after the last cursor-up.
  const frame = text
    .split(/\x1b\[\d+A/)
    .at(-1)!
    .replace(/\x1b\[2K/g, '')
    .split('\n');
  assert.match(frame[0], /^#  model/);
  const accuracies = frame.slice(1, 5).map((l) => Number(/(\d+\.\d)%/.exec(l)?.[1] ?? NaN));
  const finished = accuracies.filter(Number.isFinite);
  assert.deepEqual(
    finished,
    [...finished].sort((a, b) => b - a),
    frame.join('\n'),
  );
  assert.ok(
    frame.some((l) => /^finished in /.test(l)),
    frame.join('\n'),
  );
  assert.match(text, /^best: #\d recommended 8, adam, /m);
});

test('Ctrl-C stops the search, prints the best so far and exits 130', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli.tsx',
      'tune',
      '--engine',
      'tfjs',
      '--subset',
      '6000',
      '--trials',
      '6',
      '--epochs',
      '8',
      '--hidden-sizes',
      '8',
      '--optimizers',
      'sgd',
      '--presets',
      'recommended',
    ],
    { cwd: root, env: { ...process.env, NO_COLOR: '1', FMNIST_OFFLINE: '1' } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    // Interrupt once the first rung has finished.
    if (/-- after 1 epoch/.test(stdout) && !child.killed) child.kill('SIGINT');
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /stopping…/);
  assert.match(stdout, /^stopped \(Ctrl-C\) in /m);
  assert.match(stdout, /^best: #\d recommended 8, sgd, /m);
});
