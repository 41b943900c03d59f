// `train --val --early-stop --save` end to end on the embedded sample: it stops, and the run folder
// keeps the best epoch's weights (best.safetensors = a run trained for exactly that many epochs),
// which model.onnx is made from unless --export last.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESETS } from '../../src/core/model/spec.js';
import { readWeights } from '../../src/io/safetensors.js';

const root = new URL('../../', import.meta.url).pathname;
const sample = join(root, 'assets/fashion-mnist-sample');
const env = { ...process.env, NO_COLOR: '1', FMNIST_OFFLINE: '1' };
// Adam at a high learning rate over-fits the 5,400 images left within a few epochs.
const RUN = ['--data-dir', sample, '--preset', 'recommended', '--optimizer', 'adam', '--lr', '0.01'];
const RECIPE = [...RUN, '--batch-size', '128', '--val', '600'];
const cli = (...rest: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', 'train', ...rest], {
    cwd: root,
    encoding: 'utf8',
    env,
    timeout: 180_000,
  });
const dir = mkdtempSync(join(tmpdir(), 'fmnist-early-stop-'));

test('--early-stop stops, keeps the best epoch in best.safetensors and exports it', async () => {
  const r = cli(...RECIPE, '--early-stop', '1', '--epochs', '8', '--save', join(dir, 'es'));
  assert.equal(r.status, 0, r.stderr);
  const stop =
    /stopped early after epoch (\d+): validation loss did not improve for 1 epoch \(best [\d.]+ at epoch (\d+)\)/.exec(
      r.stderr,
    );
  assert.ok(stop, r.stderr);
  const [stoppedAt, bestEpoch] = [Number(stop[1]), Number(stop[2])];
  assert.ok(stoppedAt < 8 && bestEpoch === stoppedAt - 1);
  assert.equal(r.stdout.match(/^Epoch \d+$/gm)?.length, stoppedAt);
  assert.equal(r.stdout.match(/^Validation Error: $/gm)?.length, stoppedAt);

  // The same run for exactly bestEpoch epochs ends with best.safetensors' weights.
  const short = cli(...RECIPE, '--epochs', String(bestEpoch), '--save', join(dir, 'short'));
  assert.equal(short.status, 0, short.stderr);
  const best = await readWeights(join(dir, 'es', 'best.safetensors'), PRESETS.recommended);
  const reference = await readWeights(join(dir, 'short', 'model.safetensors'), PRESETS.recommended);
  const last = await readWeights(join(dir, 'es', 'model.safetensors'), PRESETS.recommended);
  for (const [name, t] of reference.parameters) {
    assert.deepEqual(best.parameters.get(name)!.data, t.data, name);
    assert.notDeepEqual(last.parameters.get(name)!.data, t.data, `${name}: model.safetensors is the last epoch`);
  }
  // model.onnx is the best epoch's (its test accuracy), verified against those weights.
  const metrics = JSON.parse(readFileSync(join(dir, 'es', 'metrics.json'), 'utf8'));
  const bestAcc = (100 * metrics.history[bestEpoch - 1].testAccuracy).toFixed(2);
  assert.match(r.stderr, new RegExp(`verification: PASS .*ONNX accuracy ${bestAcc}%`));
});

test('--export last makes model.onnx from the last epoch; --export needs --save and --early-stop', () => {
  const r = cli(...RECIPE, '--early-stop', '1', '--epochs', '8', '--export', 'last', '--save', join(dir, 'last'));
  assert.equal(r.status, 0, r.stderr);
  const metrics = JSON.parse(readFileSync(join(dir, 'last', 'metrics.json'), 'utf8'));
  const lastAcc = (100 * metrics.history.at(-1).testAccuracy).toFixed(2);
  assert.match(r.stderr, new RegExp(`verification: PASS .*ONNX accuracy ${lastAcc}%`));
  const bad = cli(...RUN, '--export', 'last');
  assert.equal(bad.status, 2);
  assert.equal(
    bad.stderr.trim(),
    "fmnist-tui: --export chooses the best or last epoch's weights for --save with --early-stop (see 'fmnist-tui train --help')",
  );
});

test('resuming an early-stopped run keeps its best epoch from before the resume', async () => {
  const first = cli(...RECIPE, '--early-stop', '1', '--epochs', '8', '--save', join(dir, 'before'));
  assert.equal(first.status, 0, first.stderr);
  const epochs = JSON.parse(readFileSync(join(dir, 'before', 'metrics.json'), 'utf8')).history.length;
  const again = cli(
    '--data-dir',
    sample,
    '--resume',
    join(dir, 'before', 'checkpoint.ckpt'),
    '--epochs',
    String(epochs + 1),
    '--save',
    join(dir, 'after'),
  );
  assert.equal(again.status, 0, again.stderr);
  const history = JSON.parse(readFileSync(join(dir, 'after', 'metrics.json'), 'utf8')).history as { valLoss: number }[];
  const last = history.at(-1)!.valLoss;
  const improved = history.slice(0, -1).every((m) => last < m.valLoss);
  const kept = await readWeights(join(dir, 'after', 'best.safetensors'), PRESETS.recommended);
  const expected = await readWeights(
    join(dir, improved ? 'after' : 'before', improved ? 'model.safetensors' : 'best.safetensors'),
    PRESETS.recommended,
  );
  for (const [name, t] of expected.parameters) assert.deepEqual(kept.parameters.get(name)!.data, t.data, name);
});
