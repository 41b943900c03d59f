import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TfModule from '@tensorflow/tfjs-core';
import { UserError } from '../../core/errors.js';

/**
 * The @tensorflow/tfjs-core namespace: the ops, gradients and optimizers the engine uses. The
 * app depends on tfjs-core and its cpu and wasm backends, not on the @tensorflow/tfjs umbrella
 * (which adds layers, converter, data and webgl: 220 MB the app never loads).
 * @tensorflow/tfjs-node, when the user installs it, exports a superset of it.
 */
export type Tf = typeof TfModule;

/** TF.js backends in the order they are tried: native (tfjs-node), WebAssembly, plain JavaScript. */
export const TFJS_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type TfjsBackendName = (typeof TFJS_BACKENDS)[number];

export interface LoadedTfjs {
  readonly tf: Tf;
  readonly backendName: TfjsBackendName;
  /** Shown to the user, e.g. "tfjs 4.22.0 (wasm, SIMD, 1 thread)". */
  readonly description: string;
}

/** Environment variable that forces one backend (tensorflow, wasm or cpu) instead of the best available. */
export const TFJS_BACKEND_ENV = 'FMNIST_TFJS_BACKEND';

// CJS packages imported from ESM: the namespace may carry the exports on `default` only.
const unwrap = <T>(mod: unknown): T => ((mod as { default?: T }).default ?? mod) as T;

// A module specifier in a variable: TypeScript does not try to resolve the optional package.
const TFJS_NODE = '@tensorflow/tfjs-node';

let loaded: Promise<LoadedTfjs> | undefined;
let loadedPreference: TfjsBackendName | undefined;

/**
 * Loads TF.js (once per process; TF.js keeps one global backend) with the best backend that
 * works: @tensorflow/tfjs-node when the user has installed it (not a dependency: it brings
 * the whole @tensorflow/tfjs and a libtensorflow download), else the WebAssembly backend, else cpu.
 * `prefer` (or $FMNIST_TFJS_BACKEND) forces one backend and fails if it cannot start.
 */
export async function loadTfjs(prefer?: TfjsBackendName): Promise<LoadedTfjs> {
  const wanted = prefer ?? backendFromEnv();
  if (loaded && wanted === loadedPreference) return loaded;
  loadedPreference = wanted;
  loaded = pick(wanted);
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

function backendFromEnv(): TfjsBackendName | undefined {
  const v = process.env[TFJS_BACKEND_ENV];
  if (v === undefined || v === '') return undefined;
  if (!(TFJS_BACKENDS as readonly string[]).includes(v))
    throw new UserError(
      `${TFJS_BACKEND_ENV}='${v}' is not a TF.js backend (choose ${TFJS_BACKENDS.join(', ')}, or unset it)`,
    );
  return v as TfjsBackendName;
}

async function pick(wanted: TfjsBackendName | undefined): Promise<LoadedTfjs> {
  const order = wanted ? [wanted] : TFJS_BACKENDS;
  const failures: string[] = [];
  for (const name of order) {
    try {
      const got = await start(name);
      if (got) return got;
      failures.push(`${name}: did not start`);
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (wanted === 'tensorflow')
    throw new UserError(
      `the TF.js native backend is not available (${failures.join('; ')}); ` +
        `install @tensorflow/tfjs-node where it can download libtensorflow, or unset ${TFJS_BACKEND_ENV}`,
    );
  throw new UserError(`TF.js could not start a backend (${failures.join('; ')})`);
}

type Wasm = typeof import('@tensorflow/tfjs-backend-wasm');

/**
 * TF.js with its cpu and wasm backends and gradient functions registered. As shipped it is
 * dist/engines/tfjs/tfjs-runtime.cjs, one bundle with the .wasm files beside it (made by
 * scripts/bundle-tfjs.mjs in npm run build: the packages are devDependencies, 64 MB a user
 * need not install); in the source tree, the packages themselves.
 */
async function runtime(): Promise<{ tf: Tf; wasm: Wasm; wasmDir: string }> {
  const bundled = new URL('./tfjs-runtime.cjs', import.meta.url);
  if (existsSync(bundled)) {
    const m = unwrap<{ tf: Tf; wasm: Wasm }>(await import(bundled.href));
    return { tf: m.tf, wasm: m.wasm, wasmDir: dirname(fileURLToPath(bundled)) };
  }
  const tf = unwrap<Tf>(await import('@tensorflow/tfjs-core'));
  // tfjs-core's node build registers no gradient functions (the @tensorflow/tfjs umbrella did).
  await import('./gradients-bundle.js');
  await import('@tensorflow/tfjs-backend-cpu'); // registers the 'cpu' backend with tfjs-core
  const wasm = unwrap<Wasm>(await import('@tensorflow/tfjs-backend-wasm'));
  return { tf, wasm, wasmDir: dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) };
}

async function start(name: TfjsBackendName): Promise<LoadedTfjs | undefined> {
  if (name === 'tensorflow') {
    // libtensorflow logs CPU-feature notices on stderr unless told otherwise.
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
    const tf = unwrap<Tf>(await import(TFJS_NODE));
    if (!(await tf.setBackend('tensorflow'))) return undefined;
    await tf.ready();
    const versions = (tf as unknown as { version?: Record<string, string> }).version;
    const nodeVersion = versions?.['tfjs-node'] ?? tf.version_core;
    return { tf, backendName: name, description: `tfjs-node ${nodeVersion} (native TensorFlow)` };
  }
  const { tf, wasm, wasmDir } = await runtime();
  if (name === 'wasm') {
    // In Node the .wasm files are read from disk: point the backend at them.
    wasm.setWasmPaths(`${wasmDir}/`);
    if (!(await tf.setBackend('wasm'))) return undefined;
    await tf.ready();
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    const threads = wasm.getThreadsCount();
    return {
      tf,
      backendName: name,
      description: `tfjs ${tf.version_core} (wasm${simd ? ', SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'})`,
    };
  }
  if (!(await tf.setBackend('cpu'))) return undefined;
  await tf.ready();
  // The cpu backend prints a "install tfjs-node" banner on first use in Node: it would tear the TUI.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return { tf, backendName: name, description: `tfjs ${tf.version_core} (cpu, plain JavaScript)` };
}
