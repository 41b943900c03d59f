// Keys and results of the insight views: the analysis view (Verify), the charts toggle (Train),
// and the Runs view (any step): browse past runs, overlay their curves, start from one's settings.
import { dirname } from 'node:path';
import type { RunRecord } from '../../core/runs/record.js';
import type { KeyCommand } from '../key-types.js';
import { GALLERY_PAGE } from '../insight-state.js';
import { modelState, type AppState } from '../state.js';
import { validationError } from './hp-form.js';
import { isTraining } from './transitions.js';

export type InsightAction =
  | { readonly type: 'runsLoaded'; readonly root: string; readonly records: readonly RunRecord[] }
  | { readonly type: 'runsFailed'; readonly message: string };

/** Where the Runs view looks: the folder Save writes run folders into (runs/ by default). */
export const runsRoot = (s: AppState) => dirname(s.save.dir);

function withInsight(s: AppState, insight: Partial<AppState['insight']>): AppState {
  return { ...s, insight: { ...s.insight, ...insight } };
}

function openRuns(s: AppState): AppState {
  const id = s.nextEffectId;
  return {
    ...withInsight(s, { view: 'runs', runs: { ...s.insight.runs, status: 'loading', error: undefined } }),
    effects: [...s.effects, { id, kind: 'listRuns', root: runsRoot(s) }],
    nextEffectId: id + 1,
  };
}

/** Commands that open a view from a step (undefined: not an insight command). */
export function insightOpenCommand(s: AppState, cmd: KeyCommand): AppState | undefined {
  switch (cmd) {
    case 'runs':
      return openRuns(s);
    case 'analysis':
      if (!s.verify.result?.analysis) return { ...s, status: 'verify the export first: the analysis runs with it' };
      return withInsight(s, { view: 'analysis', page: 0 });
    case 'charts':
      return withInsight(s, { trainCharts: !s.insight.trainCharts });
    default:
      return undefined;
  }
}

/** Keys while a view is open. */
export function insightViewCommand(s: AppState, cmd: KeyCommand): AppState {
  if (cmd === 'closeView') return withInsight(s, { view: undefined });
  if (s.insight.view === 'analysis') {
    const pages = Math.max(1, Math.ceil((s.verify.result?.analysis?.topLosses.length ?? 0) / GALLERY_PAGE));
    if (cmd === 'pageNext') return withInsight(s, { page: Math.min(pages - 1, s.insight.page + 1) });
    if (cmd === 'pagePrev') return withInsight(s, { page: Math.max(0, s.insight.page - 1) });
    return s;
  }
  const runs = s.insight.runs;
  const n = runs.records.length;
  switch (cmd) {
    case 'up':
      return withInsight(s, { runs: { ...runs, selected: Math.max(0, runs.selected - 1) } });
    case 'down':
      return withInsight(s, { runs: { ...runs, selected: Math.min(Math.max(0, n - 1), runs.selected + 1) } });
    case 'markRun': {
      if (n === 0) return s;
      const marked = runs.marked.includes(runs.selected)
        ? runs.marked.filter((i) => i !== runs.selected)
        : [...runs.marked, runs.selected].slice(-5);
      return withInsight(s, { runs: { ...runs, marked } });
    }
    case 'useRunSettings':
      return startFromRun(s);
    case 'runs':
      return openRuns(s); // read the folders again
    default:
      return s;
  }
}

/** A new run from the selected run's model and hyperparameters: the Hyperparameters step, prefilled. */
function startFromRun(s: AppState): AppState {
  const record = s.insight.runs.records[s.insight.runs.selected];
  if (!record) return s;
  if (!record.spec || !record.hyperparameters)
    return { ...s, status: `${record.dir} has no readable settings (${record.notes[0] ?? 'unknown format'})` };
  if (isTraining(s)) return { ...s, status: 'training is running: stop it first (x), then start from a past run' };
  let model: AppState['model'];
  try {
    model = modelState(record.spec);
  } catch {
    return { ...s, status: `${record.dir}: its model cannot be rebuilt here` };
  }
  const form = { ...s.hp.form, hyperparameters: record.hyperparameters };
  const next: AppState = {
    ...withInsight(s, { view: undefined }),
    step: 'hyperparameters',
    model,
    hp: { ...s.hp, form, selected: 0 },
    status: `settings from ${record.dir}: enter trains a new run with them`,
  };
  return { ...next, hp: { ...next.hp, error: validationError(next, form, s.data.dataset?.train.count) } };
}

export function insightEvent(s: AppState, action: InsightAction): AppState {
  if (action.type === 'runsFailed')
    return withInsight(s, { runs: { ...s.insight.runs, status: 'error', error: action.message } });
  const selected = Math.min(s.insight.runs.selected, Math.max(0, action.records.length - 1));
  return withInsight(s, {
    runs: {
      status: 'ready',
      root: action.root,
      records: action.records,
      selected,
      marked: s.insight.runs.marked.filter((i) => i < action.records.length),
    },
  });
}
