import type { Engine, EngineName, EngineOptions } from '../core/train/engine.js';
import type { EngineRuntime } from './settings.js';

export { type EngineRuntime, engineRuntimeFromEnv } from './settings.js';

/**
 * The one way to make an engine: by name, with the model and optimizer (`options`) and how it runs
 * (`runtime`: worker thread and threads, chosen by the caller; the CLI edge reads them from the environment
 * with engineRuntimeFromEnv). Each engine's module (and TF.js itself) loads only when chosen.
 */
export async function createEngine(
  name: EngineName,
  options: EngineOptions,
  runtime: EngineRuntime = {},
): Promise<Engine> {
  switch (name) {
    case 'onnx':
      return (await import('./onnx-engine.js')).createOnnxEngine(options, runtime);
    case 'tfjs':
      return (await import('./tfjs-engine.js')).createTfjsEngine(options);
  }
}
