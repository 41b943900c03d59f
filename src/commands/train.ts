import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError, UserError } from '../core/errors.js';
import { describeProgress, type DataProgress } from '../core/dataset/progress.js';
import { initParameters } from '../core/model/init.js';
import { parameterInfo, type ModelSpec } from '../core/model/spec.js';
import type { Dataset } from '../core/dataset/types.js';
import type { NamedTensors } from '../core/tensors.js';
import { engineOptionsFor, type Engine, type OptimizerState } from '../core/train/engine.js';
import type { EpochMetrics, TrainingEvent } from '../core/train/events.js';
import type { Hyperparameters } from '../core/train/hyperparameters.js';
import { BestEpoch, earlyStopMessage } from '../core/train/held-out.js';
import { train } from '../core/train/loop.js';
import { assertFitsInMemory, estimateTrainingMemory } from '../core/train/memory.js';
import { createEngine, engineRuntimeFromEnv } from '../engines/index.js';
import { headerLines } from '../headless/header.js';
import { printTraining } from '../headless/printer.js';
import { describeFsError } from '../io/atomic.js';
import { readCheckpoint, type Checkpoint } from '../io/checkpoint.js';
import { loadDataset, type LoadedDataset } from '../io/data/load.js';
import { machineMemoryBytes } from '../io/machine-memory.js';
import type { RunState, SaveReport } from '../io/run-folder.js';
import { RunFolderExistsError, type RunLock } from '../io/run-folder-store.js';
import { RUN_FILES } from '../io/run-folder-files.js';
import { readWeights } from '../io/safetensors.js';
import { writeLine, type CommandContext } from './context.js';
import {
  defaultRunFolder,
  parseTrainFlags,
  resolveHyperparameters,
  type TrainConfig,
  type TrainFlagName,
} from '../config/index.js';
import { EXIT_INTERRUPTED, listenForInterrupt, signalName } from './interrupt.js';
import { TRAIN_HELP } from './train-help.js';

/** Flags that may accompany --resume: everything else comes from the checkpoint. */
const RESUME_FLAGS: readonly TrainFlagName[] = ['resume', 'epochs', 'engine', 'data-dir', 'save', 'force', 'json'];

/** Data-loading progress worth a line on stderr in a non-interactive run. */
const DATA_PROGRESS_SHOWN: ReadonlySet<DataProgress['type']> = new Set([
  'download-start',
  'downloaded',
  'retry',
  'mirror-failed',
  'removed',
]);

/** Loads the data for a run (train, tune): downloads and retries on stderr; Ctrl-C while loading is one line, exit 130. */
export async function loadRunData(
  ctx: CommandContext,
  dataDir: string | undefined,
  signal: AbortSignal,
): Promise<LoadedDataset> {
  return loadDataset({
    dataDir,
    env: ctx.env,
    signal,
    onProgress: (p) => {
      if (DATA_PROGRESS_SHOWN.has(p.type)) writeLine(ctx.stderr, `data: ${describeProgress(p)}`);
    },
  }).catch((err: unknown) => {
    if (signal.aborted) throw new UserError('stopped while loading the data (Ctrl-C)', { exitCode: EXIT_INTERRUPTED });
    throw err;
  });
}

/**
 * Before any training: the --save folder can be written, holds no run (unless --force), has room,
 * and is locked for this process until the run is saved.
 */
async function prepareSave(dir: string, force: boolean, spec: ModelSpec): Promise<RunLock> {
  const { prepareRunFolder, estimateRunBytes } = await import('../io/run-folder-prepare.js');
  const parameterCount = parameterInfo(spec).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  try {
    return await prepareRunFolder(dir, { overwrite: force, estimatedBytes: estimateRunBytes(parameterCount) });
  } catch (err) {
    if (err instanceof RunFolderExistsError)
      throw new UsageError(
        `--save ${dir}: ${err.file} already exists there; pass --force to replace the run, or choose another folder`,
      );
    throw err;
  }
}

/** Writes the run folder from the engine's current state, reporting on stderr. */
async function saveTo(
  dir: string,
  end: Extract<TrainingEvent, { type: 'trainEnd' }>,
  run: {
    spec: ModelSpec;
    hyperparameters: Hyperparameters;
    dataset: Dataset;
    engine: Engine;
    best?: RunState['best'];
    exportFrom: 'best' | 'last';
  },
  ctx: CommandContext,
  options: { overwrite: boolean; lock: RunLock },
): Promise<SaveReport> {
  writeLine(ctx.stderr, `saving to ${dir}/ …`);
  // Loaded only when saving: the exporter and onnxruntime are not needed to train.
  const { saveRun } = await import('../io/run-folder.js');
  const state: RunState = {
    ...run,
    hyperparameters: end.hyperparameters ?? run.hyperparameters,
    parameters: await run.engine.getParameters(),
    optimizerState: await run.engine.getOptimizerState(),
    epoch: end.epochsCompleted,
    step: end.step ?? 0,
    history: end.history,
  };
  // model.onnx from the best epoch: verification compares it with the engine, so the engine holds those weights now.
  if (state.best && state.exportFrom === 'best') await run.engine.setParameters(state.best.parameters);
  try {
    return await saveRun(dir, state, options);
  } catch (err) {
    // The training is the expensive part: keep its checkpoint where it can be found.
    const { rescueCheckpoint } = await import('../io/run-folder-prepare.js');
    const kept = await rescueCheckpoint(dir, state);
    const message = err instanceof Error ? err.message : String(err);
    if (!kept) throw err;
    throw new UserError(
      `${message}; the trained model's checkpoint is kept at ${kept} ` +
        `(continue with: fmnist-tui train --resume ${kept} --save <folder>)`,
      { cause: err },
    );
  }
}

/**
 * Resuming an early-stopped run: its best epoch so far may predate the resume; its weights are the
 * best.safetensors beside the checkpoint (when the run was saved with --early-stop).
 */
async function resumedBest(
  resume: string | undefined,
  history: readonly EpochMetrics[] | undefined,
  spec: ModelSpec,
  hp: Hyperparameters,
): Promise<RunState['best']> {
  if (resume === undefined || !hp.earlyStop || !history?.length) return undefined;
  const path = join(dirname(resume), RUN_FILES.best);
  if (!existsSync(path)) return undefined;
  const tracker = new BestEpoch(hp.earlyStop.monitor);
  for (const m of history) tracker.update(m);
  return { epoch: tracker.epoch, parameters: (await readWeights(path, spec)).parameters };
}

interface StartingPoint {
  readonly spec: ModelSpec;
  readonly parameters?: NamedTensors;
  readonly optimizerState?: OptimizerState;
  readonly hyperparameters: Hyperparameters;
  readonly startEpoch: number;
  readonly startStep?: number;
  readonly history: readonly EpochMetrics[];
  readonly checkpoint?: Checkpoint;
}

/** Where training starts: a checkpoint (--resume), saved weights (--init-weights) or a fresh seeded init. */
async function startingPoint(config: TrainConfig): Promise<StartingPoint> {
  if (config.resume !== undefined) {
    const clash = config.explicit.filter((f) => !RESUME_FLAGS.includes(f));
    if (clash.length > 0)
      throw new UsageError(
        `--${clash[0]} cannot change when resuming: the checkpoint holds the model and hyperparameters ` +
          '(only --epochs, --engine, --data-dir, --save, --force and --json may be given)',
      );
    const checkpoint = await readCheckpoint(config.resume);
    const epochs = config.explicit.includes('epochs')
      ? config.hyperparameters.epochs
      : checkpoint.hyperparameters.epochs;
    if (checkpoint.epoch >= epochs)
      throw new UsageError(
        `${config.resume} has already trained ${checkpoint.epoch} of ${epochs} epochs; ` +
          `pass --epochs with a larger total (e.g. --epochs ${checkpoint.epoch + 5}) to train further`,
      );
    return {
      spec: checkpoint.spec,
      parameters: checkpoint.parameters,
      optimizerState: checkpoint.optimizerState,
      hyperparameters: { ...checkpoint.hyperparameters, epochs },
      startEpoch: checkpoint.epoch + 1,
      startStep: checkpoint.step,
      history: checkpoint.history,
      checkpoint,
    };
  }
  const parameters =
    config.initWeights !== undefined ? (await readWeights(config.initWeights, config.spec)).parameters : undefined;
  return { spec: config.spec, parameters, hyperparameters: config.hyperparameters, startEpoch: 1, history: [] };
}

export async function runTrain(argv: string[], ctx: CommandContext): Promise<number> {
  const { help, config } = parseTrainFlags(argv);
  if (help) {
    ctx.stdout.write(TRAIN_HELP);
    return 0;
  }
  const saveDir = config.save === undefined ? undefined : config.save === '' ? defaultRunFolder() : config.save;
  const start = await startingPoint(config);
  const saveLock = saveDir === undefined ? undefined : await prepareSave(saveDir, config.force, start.spec);

  // Ctrl-C (or SIGTERM, SIGHUP): the first stops after the current step (and saves with --save);
  // with the listeners gone, a second one gets Node's default action and ends the process at once.
  let saving = false;
  const interrupt = listenForInterrupt(ctx.stderr, (signal) =>
    saving
      ? `finishing the save… (${signalName(signal)} again to quit at once: the folder stays as it was)`
      : 'stopping after the current step… (Ctrl-C again to quit at once)',
  );
  // A reader that goes away (`fmnist-tui train --json | head`) stops training quietly; a full disk
  // under stdout (`> /dev/full`) stops it with one line.
  let outputClosed = false;
  let outputError: NodeJS.ErrnoException | undefined;
  const onStdoutError = (err: NodeJS.ErrnoException) => {
    outputClosed = true;
    if (err.code !== 'EPIPE') outputError ??= err;
    interrupt.abort();
  };
  ctx.stdout.on('error', onStdoutError);
  try {
    const dataset = await loadRunData(ctx, config.dataDir, interrupt.signal);
    if (start.checkpoint && start.checkpoint.datasetFingerprint !== dataset.fingerprint && !config.force)
      throw new UsageError(
        `${config.resume} was trained on other data (${start.checkpoint.datasetFingerprint.slice(0, 12)}…, ` +
          `this is ${dataset.fingerprint.slice(0, 12)}…, ${dataset.source.description}); ` +
          'use the same data, or --force to continue anyway',
      );
    const hyperparameters = start.checkpoint
      ? start.hyperparameters
      : resolveHyperparameters(config, dataset.train.count);
    const spec = start.spec;
    assertFitsInMemory(estimateTrainingMemory(spec, hyperparameters), machineMemoryBytes());
    const engine = await createEngine(
      config.engine,
      engineOptionsFor(spec, hyperparameters, start.parameters ?? initParameters(spec, hyperparameters.seed)),
      engineRuntimeFromEnv(ctx.env),
    );
    try {
      if (start.optimizerState) await engine.setOptimizerState(start.optimizerState);
      for (const line of headerLines({
        source: dataset.source,
        trainSize: dataset.train.count,
        testSize: dataset.test.count,
        engine: engine.name,
        backend: engine.backend,
        spec,
        hyperparameters,
      }))
        writeLine(ctx.stderr, line);
      if (start.checkpoint)
        writeLine(ctx.stderr, `resume: ${config.resume}, from epoch ${start.startEpoch} (step ${start.startStep})`);

      let best: RunState['best'] = await resumedBest(config.resume, start.history, spec, hyperparameters);
      const final = await printTraining(
        train({
          engine,
          dataset,
          spec,
          hyperparameters,
          signal: interrupt.signal,
          startEpoch: start.startEpoch,
          startStep: start.startStep,
          history: start.history,
          // --early-stop with --save keeps the best epoch's weights for best.safetensors and the export.
          ...(saveDir !== undefined &&
            hyperparameters.earlyStop && {
              onBestEpoch: (epoch: number, parameters: NamedTensors) => void (best = { epoch, parameters }),
            }),
        }),
        { json: config.json, write: (text) => void (outputClosed || ctx.stdout.write(text)) },
      );
      if (!final) throw new Error('training ended without a final event');
      if (final.type === 'error') throw new UserError(final.message);
      const interrupted = final.reason === 'aborted' && !outputClosed;
      if (interrupted) {
        const { epoch, batch } = final.at;
        const by = signalName(interrupt.stoppedBy);
        writeLine(
          ctx.stderr,
          `stopped at epoch ${epoch}, batch ${batch} (${by}): ${final.epochsCompleted} epoch${final.epochsCompleted === 1 ? '' : 's'} completed`,
        );
      }
      if (final.earlyStop) writeLine(ctx.stderr, earlyStopMessage(final.epochsCompleted, final.earlyStop));
      if (saveDir !== undefined && saveLock) {
        saving = true;
        const exportFrom = config.exportWeights;
        const report = await saveTo(saveDir, final, { spec, hyperparameters, dataset, engine, best, exportFrom }, ctx, {
          overwrite: config.force,
          lock: saveLock,
        });
        const { formatSaveReport } = await import('../io/run-folder.js');
        writeLine(ctx.stderr, formatSaveReport(report));
        if (interrupted || final.reason === 'stopped')
          writeLine(ctx.stderr, `continue with: fmnist-tui train --resume ${join(saveDir, RUN_FILES.checkpoint)}`);
        if (report.verdict === 'FAIL')
          throw new UserError(
            `the exported model.onnx does not match the trained model (see ${join(saveDir, RUN_FILES.verifyReport)})`,
          );
      }
      if (outputError)
        throw new UserError(`cannot write the output: ${describeFsError(outputError)} (training stopped)`);
      // A signal during the save: the run is saved, and the exit code still says it was stopped.
      if (interrupt.exitCode !== undefined) return interrupt.exitCode;
      if (interrupted) return EXIT_INTERRUPTED;
      return 0;
    } finally {
      await engine.dispose();
    }
  } finally {
    interrupt.dispose();
    ctx.stdout.removeListener('error', onStdoutError);
    await saveLock?.release();
  }
}
