// tune (search mode): the budgeted search as a command: a live table on a terminal, lines or JSON elsewhere.
import { UsageError, UserError } from '../core/errors.js';
import { ENGINE_NAMES, type Engine, type EngineName } from '../core/train/engine.js';
import { halvingPlan, planEpochs, rankTrials, type SearchBudget, validateBudget } from '../core/tune/halving.js';
import { countOf, formatCount, formatLearningRate } from '../core/format.js';
import {
  renderTrialTable,
  trainCommand,
  trainFlags,
  trialCells,
  trialHyperparameters,
  type TrialState,
} from '../core/tune/report.js';
import { planTrials, type SearchSpace, trialSpec, validateSearchSpace } from '../core/tune/search-space.js';
import { createEngine, engineRuntimeFromEnv } from '../engines/index.js';
import type { LoadedDataset } from '../io/data/load.js';
import { openSettings } from '../io/settings.js';
import { runSearch, type SearchEvent } from '../tune/search.js';
import { selectExamples } from '../tune/batches.js';
import { balancedSubsetIndices, complementIndices } from '../core/tune/subset.js';
import { deriveSeed } from '../core/random.js';
import type { Split } from '../core/dataset/types.js';
import { writeLine, type CommandContext } from '../cli-context.js';
import { DEFAULT_ENGINE, parseChoice } from '../config/index.js';
import { EXIT_INTERRUPTED, withInterrupt } from './interrupt.js';
import { loadRunData } from './run-data.js';

import { type TuneFlagValues, searchSettingsFromValues } from '../config/tune-flags.js';
import { LiveBlock } from './live-block.js';

const HELP_POINTER = "(see 'fmnist-tui tune --help')";

/** Training and scoring splits: the test set, or a balanced, seeded hold-out from the training set. */
function searchSplits(
  dataset: LoadedDataset,
  holdout: number | undefined,
  { seed, space, budget }: { seed: number; space: SearchSpace; budget: SearchBudget },
): { train: Split; score: Split } {
  if (holdout === undefined) return { train: dataset.train, score: dataset.test };
  // What must stay to train on: the largest batch size tried, and the subset when there is one.
  const count = dataset.train.count;
  const left = count - holdout;
  const batch = Math.max(...space.batchSizes);
  const need = Math.max(batch, budget.subset ?? 0);
  if (left < need) {
    const what = need === batch ? `the largest batch size tried (${batch})` : `the --subset ${need}`;
    const leaves = left <= 0 ? 'nothing' : countOf(left, 'image');
    throw new UsageError(
      `--holdout ${holdout} leaves ${leaves} to train on, fewer than ${what}: ` +
        `give --holdout ${count - need} or less (the training set has ${formatCount(count)} images)`,
    );
  }
  const kept = balancedSubsetIndices(dataset.train.labels, holdout, deriveSeed(seed, HOLDOUT_STREAM));
  return {
    train: selectExamples(dataset.train, complementIndices(dataset.train.count, kept)),
    score: selectExamples(dataset.train, kept),
  };
}
const HOLDOUT_STREAM = 0x401d;

export async function runTuneSearch(values: TuneFlagValues, ctx: CommandContext): Promise<number> {
  const { space, budget, mode, seed, finalEpochs, holdout } = searchSettingsFromValues(values);
  const engineName: EngineName = parseChoice('--engine', values.engine, ENGINE_NAMES, DEFAULT_ENGINE);
  if (values['data-dir'] !== undefined && values['data-dir'].trim() === '')
    throw new UsageError(`--data-dir needs a path ${HELP_POINTER}`);
  const trials = planTrials(space, mode, budget.trials, seed);
  const json = values.json ?? false;
  const tty = !json && ctx.stdout.isTTY === true;

  return withInterrupt(ctx.stderr, 'stopping…', async (signal) => {
    const dataset = await loadRunData(ctx, values['data-dir'], signal);
    const { train, score } = searchSplits(dataset, holdout, { seed, space, budget });
    validateSearchSpace(space, train.count);
    validateBudget(budget, train.count);
    const rungs = halvingPlan(budget, trials.length);
    const trainSize = budget.subset ?? train.count;
    const scoredOn =
      holdout === undefined
        ? `${formatCount(score.count)} test images`
        : `${formatCount(score.count)} held-out training images`;
    writeLine(
      ctx.stderr,
      `data:   ${dataset.source.description}: ${formatCount(dataset.train.count)} train / ${formatCount(dataset.test.count)} test images`,
    );
    const plan =
      budget.halving && rungs.length > 1
        ? `successive halving ×${budget.eta} over ${rungs.map((r) => `${r.trials}@${r.epochs}`).join(' → ')} (trials@epochs)`
        : `${countOf(budget.epochs, 'epoch')} each`;
    const images = `${formatCount(trainSize)} images${budget.subset ? ' (balanced subset)' : ''}`;
    writeLine(
      ctx.stderr,
      `tune:   ${trials.length} trials (${mode}, seed ${seed}), ${plan}: ${planEpochs(rungs)} epochs of ${images}, scored on ${scoredOn}`,
    );
    const runtime = engineRuntimeFromEnv(ctx.env);
    let engineLine = false;
    const createLogged = async (o: Parameters<typeof createEngine>[1]): Promise<Engine> => {
      const e = await createEngine(engineName, o, runtime);
      if (!engineLine) writeLine(ctx.stderr, `engine: ${e.name} (${e.backend})`);
      engineLine = true;
      return e;
    };

    const states = new Map<number, TrialState>();
    const live = tty ? new LiveBlock(ctx.stdout) : undefined;
    let headerPrinted = false;
    let status = '';
    let lastDraw = 0;
    const draw = (force = false) => {
      if (!live) return;
      const now = performance.now();
      if (!force && now - lastDraw < 100) return;
      lastDraw = now;
      live.draw([...renderTrialTable(rankTrials([...states.values()])), status]);
    };
    const printFinished = (t: TrialState) => {
      if (tty || json) return;
      const table = renderTrialTable([t, ...[...states.values()]]);
      if (!headerPrinted) writeLine(ctx.stdout, table[0]);
      headerPrinted = true;
      writeLine(ctx.stdout, table[1]);
    };
    let end: Extract<SearchEvent, { type: 'searchEnd' }> | undefined;
    let rungIndex = 0;
    for await (const e of runSearch({ train, test: score, trials, budget, seed, createEngine: createLogged, signal })) {
      switch (e.type) {
        case 'searchBegin':
          for (const t of e.trials) states.set(t.id, t);
          draw(true);
          break;
        case 'trialBegin':
          states.set(e.trial.id, e.trial);
          status = `rung ${e.rung + 1}/${rungs.length}: trial #${e.trial.id} to ${countOf(rungs[e.rung].epochs, 'epoch')}…`;
          rungIndex = e.rung;
          draw(true);
          break;
        case 'trialProgress': {
          const pct = Math.floor((100 * e.samplesSeen) / e.trainSize);
          status = `rung ${rungIndex + 1}/${rungs.length}: trial #${e.id}, epoch ${e.epoch}, ${pct}%, loss ${e.loss.toFixed(4)}`;
          draw();
          break;
        }
        case 'trialEpoch':
          states.set(e.trial.id, e.trial);
          if (e.trial.status === 'diverged') printFinished(e.trial);
          draw(true);
          break;
        case 'rungEnd':
          for (const id of e.stopped) {
            const t = { ...states.get(id)!, status: 'stopped' as const };
            states.set(id, t);
            printFinished(t);
          }
          for (const id of e.kept) {
            const t = states.get(id)!;
            states.set(id, { ...t, status: rungIndex === rungs.length - 1 ? 'done' : 'pending' });
          }
          if (!tty && !json && rungs.length > 1 && e.rung < rungs.length - 1)
            writeLine(
              ctx.stdout,
              `-- after ${countOf(e.epochs, 'epoch')}: kept ${e.kept.map((id) => `#${id}`).join(' ')}`,
            );
          draw(true);
          break;
        case 'searchEnd':
          end = e;
          for (const t of e.ranking) states.set(t.id, t);
          break;
      }
    }
    if (!end) throw new Error('search ended without a final event');
    if (!tty && !json) for (const t of end.ranking) if (t.status === 'done') printFinished(t);
    if (live) {
      status = `${end.reason === 'aborted' ? 'stopped (Ctrl-C)' : 'finished'} in ${end.seconds.toFixed(1)} s`;
      draw(true);
    }
    const best = end.best;
    const command = best ? trainCommand(best.config, { epochs: finalEpochs, seed }) : undefined;
    if (json) {
      ctx.stdout.write(
        JSON.stringify({
          type: 'tune',
          reason: end.reason,
          seconds: end.seconds,
          mode,
          seed,
          budget,
          scoredOn: holdout === undefined ? 'test' : 'holdout',
          rungs,
          best: best
            ? {
                ...best.config,
                spec: trialSpec(best.config),
                epochsTrained: best.epochs,
                testAccuracy: best.testAccuracy,
                testLoss: best.testLoss,
                flags: trainFlags(best.config, { epochs: finalEpochs, seed }),
                command,
              }
            : null,
          trials: end.ranking,
        }) + '\n',
      );
    } else {
      if (!tty)
        writeLine(
          ctx.stdout,
          `${end.reason === 'aborted' ? 'stopped (Ctrl-C)' : 'finished'} in ${end.seconds.toFixed(1)} s`,
        );
      if (best) {
        const c = best.config;
        writeLine(
          ctx.stdout,
          `best: #${c.id} ${trialCells(best)[1]}, ${c.optimizer}, lr ${formatLearningRate(c.learningRate)}, ` +
            `batch ${c.batchSize}: ${(100 * best.testAccuracy!).toFixed(1)}% test accuracy after ${countOf(best.epochs, 'epoch')}`,
        );
        writeLine(ctx.stdout, `  ${command}`);
      } else
        writeLine(
          ctx.stdout,
          'no trial finished an epoch; try lower learning rates (--lr-min/--lr-max) or a larger budget',
        );
    }
    if (values['save-default']) {
      if (!best) throw new UserError('nothing to save as the default: no trial finished an epoch');
      const store = openSettings({ env: ctx.env });
      store.save({
        spec: trialSpec(best.config),
        hyperparameters: trialHyperparameters(best.config, { epochs: finalEpochs, seed }),
        engine: engineName,
      });
      writeLine(ctx.stderr, `saved as the default (${store.path})`);
    }
    return end.reason === 'aborted' ? EXIT_INTERRUPTED : 0;
  });
}
