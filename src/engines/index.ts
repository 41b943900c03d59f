import type { Engine, EngineName, EngineOptions } from '../core/train/engine.js';

/** Create an engine by name; each engine's module (and TF.js itself) loads only when chosen. */
export async function createEngine(name: EngineName, options: EngineOptions): Promise<Engine> {
  switch (name) {
    case 'onnx':
      return (await import('./onnx-engine.js')).createOnnxEngine(options);
    case 'tfjs':
      return (await import('./tfjs-engine.js')).createTfjsEngine(options);
  }
}
