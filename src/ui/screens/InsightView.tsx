// A view drawn over the step while open (state.insight.view): the analysis or the Runs view.
import { Text } from 'ink';
import type { Theme } from '../components/theme.js';
import type { AppState } from '../state.js';
import { AnalysisView } from './AnalysisView.js';
import { RunsView } from './RunsView.js';

export function InsightView({ state, theme }: { readonly state: AppState; readonly theme: Theme }) {
  if (state.insight.view === 'runs')
    return (
      <RunsView
        runs={state.insight.runs}
        current={state.train.history}
        columns={state.columns}
        rows={state.rows}
        theme={theme}
        charset={state.imageStyle.style === 'unicode' ? 'braille' : 'ascii'}
        color={state.color}
      />
    );
  const analysis = state.verify.result?.analysis;
  if (!analysis) return <Text color={theme.muted}>no analysis yet: verify the export first</Text>;
  return (
    <AnalysisView
      analysis={analysis}
      page={state.insight.page}
      test={state.data.dataset?.test}
      columns={state.columns}
      rows={state.rows}
      theme={theme}
      imageStyle={{ ...state.imageStyle, color: state.imageStyle.color && state.color }}
    />
  );
}
