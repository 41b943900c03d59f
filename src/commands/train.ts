// `fmnist-tui train`: the seed's lines (or --json) on stdout as it trains, from a fresh init, --init-weights
// or --resume; --save writes the run folder; Ctrl-C (or a closed stdout) stops after the current step.
import { join } from 'node:path';
import { UsageError, UserError } from '../core/errors.js';
import { initParameters } from '../core/model/init.js';
import type { NamedTensors } from '../core/tensors.js';
import { engineOptionsFor } from '../core/train/engine.js';
import { earlyStopMessage } from '../core/train/held-out.js';
import { train } from '../core/train/loop.js';
import { assertFitsInMemory, estimateTrainingMemory } from '../core/train/memory.js';
import { createEngine, engineRuntimeFromEnv } from '../engines/index.js';
import { headerLines } from '../headless/header.js';
import { printTraining } from '../headless/printer.js';
import { describeFsError } from '../io/atomic.js';
import { machineMemoryBytes } from '../io/machine-memory.js';
import type { RunState } from '../io/run-state.js';
import { formatSaveReport } from '../io/save-report.js';
import { RUN_FILES } from '../io/run-folder-files.js';
import { writeLine, type CommandContext } from './context.js';
import { defaultRunFolder, parseTrainFlags, resolveHyperparameters } from '../config/index.js';
import { EXIT_INTERRUPTED, listenForInterrupt, signalName } from './interrupt.js';
import { loadRunData } from './run-data.js';
import { TRAIN_HELP } from './train-help.js';
import { prepareSave, saveTo } from './train-save.js';
import { resumedBest, startingPoint } from './train-start.js';

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
