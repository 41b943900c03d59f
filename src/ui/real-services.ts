// The app's ports wired to the real modules: data loading, engines, the train loop, and the
// run folder writer's three steps (the same as `train --save`: io/run-folder.ts, loaded when used).
import { join, resolve } from 'node:path';
import { NUM_CLASSES, PIXELS, type Dataset } from '../core/dataset/types.js';
import { initParameters } from '../core/model/init.js';
import { createTrainController } from '../core/train/controller.js';
import { engineOptionsFor, type Engine } from '../core/train/engine.js';
import type { EpochMetrics, TrainingEvent } from '../core/train/events.js';
import { train } from '../core/train/loop.js';
import { assertFitsInMemory, estimateTrainingMemory } from '../core/train/memory.js';
import { createEngine, engineRuntimeFromEnv } from '../engines/index.js';
import { loadDataset } from '../io/data/load.js';
import { machineMemoryBytes } from '../io/machine-memory.js';
import type { RunState } from '../io/run-state.js';
import type { NamedTensors } from '../core/tensors.js';
import { RUN_FILES, type RunFileKind } from '../io/run-folder-files.js';
import type { SettingsStore } from '../io/settings.js';
import type { Prediction, PreviewEvent, Services, TrainedModel, TrainingRequest, TrainingRun } from './services.js';

export interface RealServicesOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir?: string;
  readonly settings?: SettingsStore;
  /**
   * Run the ONNX engine in a worker thread, so rendering and key handling never wait on a
   * native call and the training never waits on a frame (default true; FMNIST_ONNX_WORKER=0 turns it off).
   */
  readonly onnxWorker?: boolean;
  /** Verify at batch size 1 on this many test images (default: all of them). */
  readonly verifyBatchOneCount?: number;
}

/** Training state beyond the parameters, kept for the checkpoint and the verification. */
interface TrainedExtra {
  readonly engine: Engine;
  readonly optimizerState: Awaited<ReturnType<Engine['getOptimizerState']>>;
  readonly epoch: number;
  readonly step: number;
  readonly history: readonly EpochMetrics[];
  /** Early stopping: the best epoch's weights (best.safetensors; the export and verification use them). */
  readonly best?: RunState['best'];
}

/** Softmax of each row of `count`×10 outputs → the argmax and its probability. */
export function predictionsFrom(outputs: Float32Array, labels: Uint8Array, indices: readonly number[]): Prediction[] {
  return indices.map((index, i) => {
    const row = outputs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
    let best = 0;
    for (let c = 1; c < NUM_CLASSES; c++) if (row[c] > row[best]) best = c;
    let sum = 0;
    for (let c = 0; c < NUM_CLASSES; c++) sum += Math.exp(row[c] - row[best]);
    return { index, label: labels[index], predicted: best, probability: 1 / sum };
  });
}

async function predictIndices(engine: Engine, dataset: Dataset, indices: readonly number[]): Promise<Prediction[]> {
  if (indices.length === 0) return [];
  const images = new Uint8Array(indices.length * PIXELS);
  indices.forEach((index, i) =>
    images.set(dataset.test.images.subarray(index * PIXELS, (index + 1) * PIXELS), i * PIXELS),
  );
  return predictionsFrom(await engine.predict(images, indices.length), dataset.test.labels, indices);
}

export function createRealServices(options: RealServicesOptions): Services & { dispose(): Promise<void> } {
  // FMNIST_ONNX_WORKER=0 keeps the engine on the main thread; the session's default is the worker, for the
  // training, the learning-rate finder and the search alike.
  const fromEnv = engineRuntimeFromEnv(options.env);
  const runtime = { ...fromEnv, worker: options.onnxWorker ?? fromEnv.worker ?? true };
  // The engine of the latest run stays alive: Save, Export and Verify use it.
  let lastEngine: Engine | undefined;
  const disposeLast = async () => {
    const e = lastEngine;
    lastEngine = undefined;
    await e?.dispose().catch(() => {});
  };

  function startTraining(request: TrainingRequest): TrainingRun {
    const controller = createTrainController();
    const { dataset, spec, hyperparameters } = request;
    let engine: Engine | undefined;
    let end: Extract<TrainingEvent, { type: 'trainEnd' }> | undefined;
    let best: RunState['best'];
    let finished: Promise<TrainedModel> | undefined;
    const keepBest = hyperparameters.earlyStop
      ? { onBestEpoch: (epoch: number, parameters: NamedTensors) => void (best = { epoch, parameters }) }
      : {};
    const events = (async function* (): AsyncGenerator<TrainingEvent | PreviewEvent> {
      await disposeLast();
      // A model that cannot fit is refused with the figures, as `train` does (HARDEN 16).
      assertFitsInMemory(estimateTrainingMemory(spec, hyperparameters), machineMemoryBytes());
      const engineOptions = engineOptionsFor(spec, hyperparameters, initParameters(spec, hyperparameters.seed));
      engine = await createEngine(request.engine, engineOptions, runtime);
      lastEngine = engine;
      for await (const e of train({ engine, dataset, spec, hyperparameters, commands: controller, ...keepBest })) {
        yield e;
        if (e.type === 'trainEnd') end = e;
        // The loop waits at this yield, so the engine is free for a few predictions.
        if (e.type === 'epochEnd')
          yield {
            type: 'preview',
            epoch: e.epoch,
            predictions: await predictIndices(engine, dataset, request.previewIndices),
          };
      }
    })();
    return {
      events,
      send: (command) => controller.send(command),
      result(): Promise<TrainedModel> {
        // Once: after it the engine holds the best weights (early stopping), so the last ones are read first.
        finished ??= finish();
        return finished;
      },
    };
    async function finish(): Promise<TrainedModel> {
      if (!engine) throw new Error('training did not start');
      const extra: TrainedExtra = {
        engine,
        optimizerState: await engine.getOptimizerState(),
        epoch: end?.epochsCompleted ?? 0,
        step: end?.step ?? 0,
        history: end?.history ?? [],
        best,
      };
      const parameters = await engine.getParameters();
      // As train --save: the checkpoint keeps the last weights; model.onnx and its verification use the best.
      if (best) await engine.setParameters(best.parameters);
      return { spec, hyperparameters: end?.hyperparameters ?? hyperparameters, parameters, extra };
    }
  }

  /** The run folder writer's view of a trained model (the one writer `train --save` uses too). */
  const runState = (dataset: Dataset, model: TrainedModel): RunState => {
    const extra = model.extra as TrainedExtra;
    return {
      spec: model.spec,
      hyperparameters: model.hyperparameters,
      parameters: model.parameters,
      optimizerState: extra.optimizerState,
      epoch: extra.epoch,
      step: extra.step,
      history: extra.history,
      dataset,
      engine: extra.engine,
      ...(extra.best && { best: extra.best, exportFrom: 'best' as const }),
    };
  };
  const WHAT: Partial<Record<RunFileKind, string>> = {
    weights: 'weights, PyTorch state_dict names',
    checkpoint: 'checkpoint: --resume continues it',
    metrics: 'metrics history',
    curves: 'loss and accuracy curves',
    confusion: 'confusion matrix',
  };

  return {
    loadData: (onProgress, signal) => loadDataset({ dataDir: options.dataDir, env: options.env, onProgress, signal }),
    startTraining,
    async saveRun({ dir, dataset, model, overwrite }) {
      const { writeRunFolder } = await import('../io/run-folder.js');
      const files = await writeRunFolder(dir, runState(dataset, model), { overwrite });
      return { dir, files: files.map((f) => ({ path: f.path, bytes: f.bytes, what: WHAT[f.kind] ?? f.kind })) };
    },
    async exportOnnx({ dir, dataset, model, overwrite }) {
      const { exportRunFolder } = await import('../io/run-folder.js');
      const r = await exportRunFolder(dir, runState(dataset, model), { overwrite });
      return { file: { path: r.path, bytes: r.bytes, what: 'ONNX' }, opset: 17, metadata: r.metadata };
    },
    async verify({ onnxPath, dir, dataset, model, previewIndices }) {
      const run = runState(dataset, model);
      const { verifyRunFolder } = await import('../io/run-folder.js');
      if (resolve(onnxPath) !== resolve(join(dir, RUN_FILES.onnx)))
        throw new Error(`${onnxPath} is not the run folder's model.onnx; export into ${dir} first`);
      const report = await verifyRunFolder(dir, run, { batchOneCount: options.verifyBatchOneCount });
      const reportPath = join(dir, RUN_FILES.verifyReport);
      const b = report.batched;
      const check = (name: string, r: typeof b) => ({
        name: `${name}: max |Δ| ${r.maxAbsDiff.toExponential(2)}, argmax ${r.argmaxAgreements}/${r.count}`,
        passed: r.pass,
        detail: `${r.seconds.toFixed(2)}s`,
      });
      return {
        verdict: report.verdict,
        images: report.testImages,
        maxAbsDiff: Math.max(b.maxAbsDiff, report.batchOne.maxAbsDiff, report.largeBatch.maxAbsDiff),
        argmaxAgreement: b.argmaxAgreements / b.count,
        onnxAccuracy: report.exportAccuracy,
        referenceAccuracy: report.referenceAccuracy,
        checks: [
          check(`batches of ${b.batchSize}`, b),
          check('batch size 1', report.batchOne),
          check(`one batch of ${report.largeBatch.batchSize}`, report.largeBatch),
        ],
        reportPath,
        predictions: await predictIndices(run.engine, dataset, previewIndices),
        analysis: await (await import('./insight-services.js')).analyzeExport(onnxPath, dataset.test),
      };
    },
    listRuns: async (root) => (await import('./insight-services.js')).listRuns(root),
    // The TUNE module's adapters of these two ports, loaded on first use.
    findLearningRate: async (request, signal) =>
      (await import('./tune-services.js')).findLearningRateService(request, signal, runtime),
    search: async (request, onTrial, signal) =>
      (await import('./tune-services.js')).searchService(request, onTrial, signal, { runtime }),
    saveSettings(settings) {
      try {
        options.settings?.save(settings);
      } catch {
        // persistence is a convenience: a read-only config folder must not stop training
      }
    },
    dispose: disposeLast,
  };
}
