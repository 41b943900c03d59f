import { UserError } from '../core/errors.js';
import type { Engine, EngineOptions } from '../core/train/engine.js';

// Placeholder until the engine lands.
export async function createOnnxEngine(_options: EngineOptions): Promise<Engine> {
  throw new UserError("the 'onnx' engine is not available in this build yet");
}
