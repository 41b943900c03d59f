// How engines run, apart from what they compute: the ONNX engine's settings, and the two choices every
// caller makes (worker thread, threads), read from the environment once, at the CLI edge.
import { UsageError } from '../core/errors.js';

export interface OnnxEngineSettings {
  /** Intra-op threads (default: all cores, at most 4). */
  readonly threads?: number;
  /**
   * Let idle pool threads spin while waiting for work (onnxruntime's default). Off by default:
   * on a 2-core machine shared with the TUI (or anything else) spinning threads steal the CPU
   * that the other thread needs; measured here under load it cost 1.4-1.7× CPU time per step.
   */
  readonly spinning?: boolean;
  /** Most optimizer steps per session.run (one ONNX Loop run). Default 32. */
  readonly maxStepsPerRun?: number;
  /**
   * Aim for native calls of about this many milliseconds: session.run blocks its thread (the
   * event loop, unless the engine is in a worker), so the engine runs fewer steps per call when
   * steps are slow (a busy machine, a big model). Each call has a fixed cost (the parameters and
   * optimizer buffers copied out, the Loop set up): a 40 ms aim made every CNN step its own call,
   * and 4-step calls measured ~10% less CPU per step. Default 200: a key or Ctrl-C waits at most
   * about that long in the CLI.
   */
  readonly targetRunMs?: number;
  /** Images per evaluation run (default 2048, fewer for models with big layer outputs: see evalChunkFor). */
  readonly evalChunk?: number;
  /**
   * Run the engine in a worker thread (default false): native calls then never block the main
   * thread, whatever their length (for the TUI). Numbers are identical.
   */
  readonly worker?: boolean;
}

/** The runtime choices of `createEngine`: the same for every engine kind (tfjs ignores them). */
export interface EngineRuntime {
  /** Run the ONNX engine in a worker thread (default: the caller's; the session: on, commands: off). */
  readonly worker?: boolean;
  /** onnxruntime intra-op threads (default: all cores, at most 4). */
  readonly threads?: number;
}

/** 1: the ONNX engine runs in a worker thread, 0: on the main thread; unset: the caller's default. */
export const ONNX_WORKER_ENV = 'FMNIST_ONNX_WORKER';
/** onnxruntime's intra-op threads, a whole number of at least 1; unset: all cores, at most 4. */
export const ONNX_THREADS_ENV = 'FMNIST_ONNX_THREADS';

/** The engine runtime the environment asks for; a value that means nothing is one line, not ignored. */
export function engineRuntimeFromEnv(env: NodeJS.ProcessEnv): EngineRuntime {
  const worker = env[ONNX_WORKER_ENV];
  const threads = env[ONNX_THREADS_ENV];
  if (worker !== undefined && worker !== '' && worker !== '0' && worker !== '1')
    throw new UsageError(`${ONNX_WORKER_ENV}='${worker}' is not 0 or 1 (1 runs the ONNX engine in a worker thread)`);
  if (threads !== undefined && threads !== '' && !/^[1-9]\d*$/.test(threads))
    throw new UsageError(`${ONNX_THREADS_ENV}='${threads}' is not a whole number of at least 1 (or unset it)`);
  return {
    ...(worker === '0' || worker === '1' ? { worker: worker === '1' } : {}),
    ...(threads ? { threads: Number(threads) } : {}),
  };
}
