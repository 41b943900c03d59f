// tune --lr-find: the learning-rate range test as a command (plot, suggestion, train flags).
import { UsageError } from '../core/errors.js';
import { initParameters } from '../core/model/init.js';
import { describeModel } from '../core/model/spec.js';
import type { PlotCharset } from '../core/render/line-plot.js';
import { explainSuggestion, renderLrFinderPlot, roundSuggestion } from '../core/tune/lr-plot.js';
import { formatCount, formatLearningRate } from '../core/format.js';
import { createEngine, engineRuntimeFromEnv } from '../engines/index.js';
import { openSettings } from '../io/settings.js';
import { readWeights } from '../io/safetensors.js';
import {
  findLearningRate,
  validateLrFinderOptions,
  LR_FINDER_DEFAULTS,
  type LrFinderResult,
} from '../tune/lr-finder.js';
import { writeLine, type CommandContext } from '../cli-context.js';
import {
  parseInteger,
  parseNumber,
  resolveHyperparameters,
  TRAIN_FLAG_OPTIONS,
  trainConfigFromValues,
  type TrainFlagName,
  type TrainFlagValues,
} from '../config/index.js';
import { EXIT_INTERRUPTED, withInterrupt } from './interrupt.js';
import { loadRunData } from './run-data.js';

import type { TuneFlagValues } from '../config/tune-flags.js';

const HELP_POINTER = "(see 'fmnist-tui tune --help')";

/** ASCII when asked, or when the terminal is unlikely to draw braille. */
export function plotCharset(ascii: boolean, env: NodeJS.ProcessEnv): PlotCharset {
  if (ascii || env.TERM === 'dumb' || env.TERM === 'linux') return 'ascii';
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  if (locale !== '' && !/utf-?8/i.test(locale)) return 'ascii';
  return 'braille';
}

/** The finder's plot and verdict as lines (no colour). */
export function lrFinderReport(result: LrFinderResult, options: { width: number; charset: PlotCharset }): string[] {
  const lines = ['smoothed loss vs learning rate (log scale)', ...renderLrFinderPlot(result, options)];
  const steps = result.learningRates.length;
  const lastLr = result.learningRates[steps - 1];
  if (result.reason === 'diverged')
    lines.push(
      `stopped after ${steps} of ${result.steps} steps at lr ${formatLearningRate(roundSuggestion(lastLr))}: the smoothed loss passed 4× its minimum`,
    );
  else if (result.reason === 'aborted') lines.push(`stopped after ${steps} of ${result.steps} steps (Ctrl-C)`);
  else lines.push(`ran all ${steps} steps up to lr ${formatLearningRate(result.endLr)} without diverging`);
  return lines;
}

export async function runLrFind(values: TuneFlagValues, ctx: CommandContext): Promise<number> {
  const trainValues = Object.fromEntries(
    Object.entries(values).filter(([k]) => k in TRAIN_FLAG_OPTIONS),
  ) as TrainFlagValues;
  const config = trainConfigFromValues(trainValues, { command: 'tune' });
  const startLr = parseNumber('--start-lr', values['start-lr'], LR_FINDER_DEFAULTS.startLr);
  const endLr = parseNumber('--end-lr', values['end-lr'], LR_FINDER_DEFAULTS.endLr);
  const steps = parseInteger('--steps', values.steps, LR_FINDER_DEFAULTS.steps);
  validateLrFinderOptions({ startLr, endLr, steps, batchSize: config.hyperparameters.batchSize });
  const explicitLr = (config.explicit as readonly TrainFlagName[]).includes('lr');
  if (explicitLr)
    throw new UsageError(`--lr is what --lr-find finds; use --start-lr and --end-lr for its range ${HELP_POINTER}`);

  return withInterrupt(ctx.stderr, 'stopping…', async (signal) => {
    const dataset = await loadRunData(ctx, config.dataDir, signal);
    const hp = resolveHyperparameters(config, dataset.train.count);
    const parameters =
      config.initWeights !== undefined
        ? (await readWeights(config.initWeights, config.spec)).parameters
        : initParameters(config.spec, hp.seed);
    const engine = await createEngine(
      config.engine,
      {
        spec: config.spec,
        loss: hp.loss,
        labelSmoothing: hp.labelSmoothing,
        optimizer: hp.optimizer,
        parameters,
      },
      engineRuntimeFromEnv(ctx.env),
    );
    let result: LrFinderResult;
    try {
      writeLine(ctx.stderr, `data:   ${dataset.source.description}: ${formatCount(dataset.train.count)} train images`);
      writeLine(ctx.stderr, `engine: ${engine.name} (${engine.backend})`);
      writeLine(
        ctx.stderr,
        `model:  ${describeModel(config.spec)}; ${hp.optimizer.kind}, batch ${hp.batchSize}, ${hp.loss}`,
      );
      writeLine(
        ctx.stderr,
        `lr-find: ${formatLearningRate(startLr)} → ${formatLearningRate(endLr)} over ${steps} steps, seed ${hp.seed}`,
      );
      result = await findLearningRate({
        engine,
        train: dataset.train,
        batchSize: hp.batchSize,
        startLr,
        endLr,
        steps,
        seed: hp.seed,
        signal,
      });
    } finally {
      await engine.dispose();
    }
    const s = result.suggestion;
    const suggested = s ? roundSuggestion(s.learningRate) : undefined;
    const flags = suggested === undefined ? undefined : trainFlagsFor(trainValues, suggested);
    if (config.json) {
      ctx.stdout.write(
        JSON.stringify({
          type: 'lrFind',
          reason: result.reason,
          seconds: result.seconds,
          batchSize: result.batchSize,
          optimizer: hp.optimizer.kind,
          suggestion: s ? { ...s, learningRate: suggested } : null,
          command: flags ? `fmnist-tui train ${flags.join(' ')}` : null,
          learningRates: result.learningRates,
          losses: result.losses,
          smoothedLosses: result.smoothedLosses,
        }) + '\n',
      );
    } else {
      const width = Math.max(40, Math.min(100, (ctx.stdout.columns ?? 80) - 1));
      for (const line of lrFinderReport(result, { width, charset: plotCharset(values.ascii ?? false, ctx.env) }))
        writeLine(ctx.stdout, line);
      if (s && suggested !== undefined && flags) {
        const how = explainSuggestion(s);
        writeLine(
          ctx.stdout,
          `suggested learning rate: ${formatLearningRate(suggested)} (${how}; steepest descent at ${formatLearningRate(roundSuggestion(s.steepest))})`,
        );
        writeLine(ctx.stdout, `  fmnist-tui train ${flags.join(' ')}`);
      } else
        writeLine(ctx.stdout, 'no suggestion: too few steps ran; give more --steps or a wider --start-lr/--end-lr');
      writeLine(ctx.stdout, `took ${result.seconds.toFixed(1)} s; the weights are unchanged`);
    }
    if (values['save-default'] && suggested !== undefined) {
      const store = openSettings({ env: ctx.env });
      store.save({ spec: config.spec, hyperparameters: { ...hp, learningRate: suggested }, engine: config.engine });
      writeLine(
        ctx.stderr,
        `saved as the default: lr ${formatLearningRate(suggested)} with this model and optimizer (${store.path})`,
      );
    }
    return result.reason === 'aborted' ? EXIT_INTERRUPTED : 0;
  });
}

/** The user's train flags with --lr set to the suggestion (finder-only flags dropped). */
function trainFlagsFor(values: TrainFlagValues, lr: number): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(values) as [TrainFlagName, string | boolean | undefined][]) {
    if (v === undefined || k === 'json' || k === 'help' || k === 'lr' || k === 'data-dir') continue;
    if (v === true) out.push(`--${k}`);
    else if (v !== false) out.push(`--${k}`, /^[\w.,:/@+-]+$/.test(v) ? v : JSON.stringify(v));
  }
  out.push('--lr', formatLearningRate(lr));
  return out;
}
