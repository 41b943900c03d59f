import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', 'model', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

test('model --preset cnn: each layer with output shape, parameters and multiply-adds, and the totals', () => {
  const r = cli('--preset', 'cnn');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Conv2d\(16,3,padding=1\) \(layers\.0\) +\[-1, 16, 28, 28\] +160 +112,896$/m);
  assert.match(r.stdout, /^MaxPool2d\(2\) \(layers\.7\) +\[-1, 32, 7, 7\] +-- +--$/m);
  assert.match(r.stdout, /^Total params: 207,018$/m);
  assert.match(r.stdout, /^Mult-adds per image: 1,218,048 \(1\.22 M\)$/m);
  for (const line of r.stdout.split('\n')) assert.ok(line.length <= 80, line);
});

test('model --json and --pytorch', () => {
  const json = JSON.parse(cli('--layers', 'Conv2d(4,5,stride=2) Flatten Linear(10)', '--json').stdout);
  assert.equal(json.form, 'layers');
  assert.deepEqual(json.rows[0].outputShape, [-1, 4, 12, 12]);
  assert.equal(json.totalParameters, 4 * 25 + 4 + 576 * 10 + 10);
  const py = cli('--preset', 'seed', '--pytorch').stdout;
  assert.match(py, /self\.linear_relu_stack = nn\.Sequential\(/);
  assert.match(py, /nn\.Linear\(784, 512\),/);
});

test('model: a bad layer string is one reason and a caret, exit 2, no stack trace', () => {
  const r = cli('--layers', 'Conv2d(8,3) Flatten Linear(12)');
  assert.equal(r.status, 2);
  assert.deepEqual(r.stderr.trimEnd().split('\n'), [
    'fmnist-tui: --layers: layer 3 (Linear(12)): the model must end with 10 outputs (one per class), the last layer gives [12]: end with Linear(10)',
    '  Conv2d(8,3) Flatten Linear(12)',
    '                      ^^^^^^^^^^',
  ]);
  assert.equal(r.stdout, '');
});
