// Backend selection: tfjs-node when installed, else wasm, else cpu; forcing one; bad choices.
// (Its own file: TF.js keeps one backend per process.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { createTfjsEngine } from '../../src/engines/tfjs-engine.js';
import { loadTfjs, TFJS_BACKEND_ENV } from '../../src/engines/tfjs/load.js';
import { UserError } from '../../src/core/errors.js';
import {
  caseName,
  golden,
  goldenBatches,
  goldenParameters,
  goldenSpec,
  optimizerFromTorch,
  worstRelative,
} from './tfjs-fixtures.js';

const tfjsNodeInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

test('TF.js loads only when the tfjs engine is created (no start-up cost for the default engine)', () => {
  const script = `
    const { createRequire } = await import('node:module');
    const loaded = () => Object.keys(createRequire(process.cwd() + '/').cache).some((k) => k.includes('@tensorflow'));
    await import('./src/engines/index.ts');
    await import('./src/engines/tfjs-engine.ts');
    const before = loaded();
    const { createTfjsEngine } = await import('./src/engines/tfjs-engine.ts');
    const { initParameters } = await import('./src/core/model/init.ts');
    const spec = { hidden: [{ units: 2, activation: 'relu', dropout: 0 }], finalActivation: 'none', logSoftmax: false };
    const e = await createTfjsEngine({
  spec,
  loss: 'mse',
  optimizer: { kind: 'sgd', momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
  parameters: initParameters(spec, 0),
});
    console.log(JSON.stringify({ before, after: loaded() }));
    await e.dispose();`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').at(-1)!), { before: false, after: true });
});

test('the best available backend is chosen: native with tfjs-node, else wasm with SIMD', async () => {
  const { backendName, description } = await loadTfjs();
  if (tfjsNodeInstalled) {
    assert.equal(backendName, 'tensorflow');
    assert.match(description, /^tfjs-node \S+ \(native TensorFlow\)$/);
  } else {
    assert.equal(backendName, 'wasm');
    assert.match(description, /^tfjs 4\.\d+\.\d+ \(wasm(, SIMD)?, \d+ threads?\)$/);
  }
});

test('forcing the native backend without tfjs-node says what to install, in one line', {
  skip: tfjsNodeInstalled && 'tfjs-node is installed here',
}, async () => {
  await assert.rejects(loadTfjs('tensorflow'), (e: Error) => {
    assert.ok(e instanceof UserError);
    assert.match(
      e.message,
      new RegExp(
        String.raw`^the TF\.js native backend is not available \(tensorflow: .*\); ` +
          String.raw`install @tensorflow\/tfjs-node where it can download libtensorflow, or unset FMNIST_TFJS_BACKEND$`,
      ),
    );
    assert.ok(!e.message.includes('\n'));
    return true;
  });
});

test('an unknown backend in the environment is refused in one line', async () => {
  process.env[TFJS_BACKEND_ENV] = 'gpu';
  try {
    await assert.rejects(
      loadTfjs(),
      (e: Error) =>
        e instanceof UserError &&
        e.message === "FMNIST_TFJS_BACKEND='gpu' is not a TF.js backend (choose tensorflow, wasm, cpu, or unset it)",
    );
  } finally {
    delete process.env[TFJS_BACKEND_ENV];
  }
});

test('the cpu backend can be forced, prints no banner, and matches PyTorch too', async () => {
  const warnings: unknown[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args);
  try {
    process.env[TFJS_BACKEND_ENV] = 'cpu';
    for (const c of [golden.cases[0], golden.cases[5], golden.cases[7], golden.cases[14]]) {
      const engine = await createTfjsEngine({
        spec: goldenSpec(c),
        loss: c.loss,
        optimizer: optimizerFromTorch(c.optimizer, c.options),
        parameters: goldenParameters(),
      });
      try {
        assert.equal(engine.backend, `tfjs ${(await loadTfjs()).tf.version_core} (cpu, plain JavaScript)`);
        const losses = await engine.trainSteps(goldenBatches(c));
        const err = worstRelative(losses, c.losses, 0);
        assert.ok(err <= 1e-5, `${caseName(c)}: relative error ${err.toExponential(2)}`);
      } finally {
        await engine.dispose();
      }
    }
  } finally {
    delete process.env[TFJS_BACKEND_ENV];
    console.warn = warn;
  }
  assert.deepEqual(warnings, []);
});
