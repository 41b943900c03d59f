import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/core/errors.js';
import { engineRuntimeFromEnv } from '../../src/engines/index.js';

test('FMNIST_ONNX_WORKER and FMNIST_ONNX_THREADS mean the same everywhere: 1 on, 0 off, unset the caller default', () => {
  const cases: [NodeJS.ProcessEnv, object][] = [
    [{}, {}],
    [{ FMNIST_ONNX_WORKER: '' }, {}],
    [{ FMNIST_ONNX_WORKER: '1' }, { worker: true }],
    [{ FMNIST_ONNX_WORKER: '0' }, { worker: false }],
    [{ FMNIST_ONNX_THREADS: '2' }, { threads: 2 }],
    [
      { FMNIST_ONNX_WORKER: '0', FMNIST_ONNX_THREADS: '1' },
      { worker: false, threads: 1 },
    ],
  ];
  for (const [env, expected] of cases) assert.deepEqual(engineRuntimeFromEnv(env), expected, JSON.stringify(env));
});

test('a value that means nothing is one line, not silently ignored', () => {
  const cases: [NodeJS.ProcessEnv, string][] = [
    [
      { FMNIST_ONNX_WORKER: 'yes' },
      "FMNIST_ONNX_WORKER='yes' is not 0 or 1 (1 runs the ONNX engine in a worker thread)",
    ],
    [{ FMNIST_ONNX_THREADS: '0' }, "FMNIST_ONNX_THREADS='0' is not a whole number of at least 1 (or unset it)"],
    [{ FMNIST_ONNX_THREADS: 'two' }, "FMNIST_ONNX_THREADS='two' is not a whole number of at least 1 (or unset it)"],
  ];
  for (const [env, message] of cases)
    assert.throws(
      () => engineRuntimeFromEnv(env),
      (e: Error) => e instanceof UsageError && e.message === message,
    );
});
