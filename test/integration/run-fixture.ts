import { initParameters } from '../../src/core/model/init.js';
import type { ModelSpec } from '../../src/core/model/spec.js';
import type { Engine } from '../../src/core/train/engine.js';
import { OPTIMIZER_DEFAULTS, SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';
import type { NamedTensors } from '../../src/core/tensors.js';
import { referenceLogits } from '../../src/core/verify/reference-forward.js';
import { loadDataset } from '../../src/io/data/load.js';
import { embeddedDataDir } from '../../src/io/data/paths.js';
import type { RunState } from '../../src/io/run-state.js';

// A small trained-looking run for the run folder writer's tests (no engine, no training).

export const spec: ModelSpec = {
  hidden: [{ units: 20, activation: 'relu', dropout: 0.1 }],
  finalActivation: 'none',
  logSoftmax: false,
};

/** An Engine whose in-memory model is the plain TypeScript forward pass (no training). */
export function referenceEngine(parameters: NamedTensors): Engine {
  const unused = async () => {
    throw new Error('not used');
  };
  return {
    name: 'onnx',
    backend: 'typescript reference (test)',
    trainSteps: unused,
    evaluate: unused,
    predict: async (images, count) => referenceLogits(spec, parameters, images, count),
    getParameters: async () => parameters,
    setParameters: unused,
    getOptimizerState: async () => ({ step: 0, tensors: new Map() }),
    setOptimizerState: unused,
    dispose: async () => {},
  };
}

export async function runState(parameters = initParameters(spec, 5)): Promise<RunState> {
  const dataset = await loadDataset({ dataDir: embeddedDataDir() });
  const momentum: NamedTensors = new Map(
    [...parameters].map(([k, t]) => [`momentum_buffer/${k}`, { shape: [...t.shape], data: t.data.map((v) => v / 7) }]),
  );
  return {
    spec,
    hyperparameters: { ...SEED_HYPERPARAMETERS, optimizer: { ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.9 }, epochs: 2 },
    parameters,
    optimizerState: { step: 188, tensors: momentum },
    epoch: 2,
    step: 188,
    history: [
      {
        epoch: 1,
        trainLoss: 1.2,
        testLoss: 0.9,
        testAccuracy: 0.61,
        seconds: 0.5,
        samplesPerSecond: 12000,
        learningRate: 1e-3,
      },
      {
        epoch: 2,
        trainLoss: 0.8,
        testLoss: 0.7,
        testAccuracy: 0.7,
        seconds: 0.5,
        samplesPerSecond: 12000,
        learningRate: 1e-3,
      },
    ],
    dataset,
    engine: referenceEngine(parameters),
  };
}
