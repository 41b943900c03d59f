// Issue 11 item 14: onnxruntime wrote deviceid and onnxruntime.db under $XDG_CACHE_HOME/Microsoft on
// every run. The engine and the exported-model reader turn its telemetry off before the first session.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

/** Makes an ONNX engine, trains and evaluates a step, in a child with a fresh HOME and cache folder. */
const SCRIPT = `
import { createOnnxEngine } from './src/engines/onnx-engine.ts';
import { initParameters } from './src/core/model/init.ts';
import { OPTIMIZER_DEFAULTS } from './src/core/train/hyperparameters.ts';
const spec = { hidden: [{ units: 4, activation: 'relu', dropout: 0 }], finalActivation: 'none', logSoftmax: false };
const engine = await createOnnxEngine(
  { spec, loss: 'cross_entropy', optimizer: OPTIMIZER_DEFAULTS.sgd, parameters: initParameters(spec, 0) },
  { worker: false },
);
const images = new Uint8Array(2 * 784).fill(7);
const labels = new Uint8Array([1, 2]);
await engine.trainSteps([{ images, labels, count: 2, learningRate: 0.1, seed: 0 }]);
await engine.evaluate(images, labels, 2);
await engine.dispose();
console.log('trained');
`;

function cacheAfterRun(extraEnv: Record<string, string>): string[] {
  const home = mkdtempSync(join(tmpdir(), 'fmnist-telemetry-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, 'cache'), ...extraEnv };
  if (!('ORT_DISABLE_TELEMETRY' in extraEnv)) delete env.ORT_DISABLE_TELEMETRY;
  // onnxruntime writes nothing when CI is set (as it is when .ci/run runs the suite): unset it, so the
  // control case below still shows that the files appear without our setting.
  delete env.CI;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
    env,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /trained/);
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name).slice(home.length + 1)],
    );
  return walk(home);
}

test('training with the ONNX engine writes nothing under $XDG_CACHE_HOME or $HOME', () => {
  assert.deepEqual(cacheAfterRun({}), []);
});

test('the files appear when telemetry is asked for (ORT_DISABLE_TELEMETRY=0): the test can fail', () => {
  const files = cacheAfterRun({ ORT_DISABLE_TELEMETRY: '0' });
  assert.ok(
    files.some((f) => f.endsWith('.onnxruntime/deviceid')),
    `expected onnxruntime's device id, got ${files.join(', ')}`,
  );
});
