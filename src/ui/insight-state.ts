// The state of the insight views: the Verify step's analysis, the Train step's charts toggle and
// the Runs view (past runs read from their folders). Part of AppState as `insight`.
import type { RunRecord } from '../core/runs/record.js';

export type InsightView = 'analysis' | 'runs';

export interface RunsViewState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  /** The folder the runs were read from. */
  readonly root?: string;
  readonly records: readonly RunRecord[];
  readonly selected: number;
  /** Runs whose curves are overlaid (indices into records). */
  readonly marked: readonly number[];
  readonly error?: string;
}

export interface InsightState {
  /** A view drawn over the step (esc closes it); it owns the keyboard while open. */
  readonly view?: InsightView;
  /** Page of the worst-mistakes gallery in the analysis view. */
  readonly page: number;
  /** The Train step shows the epoch and batch-loss charts instead of the prediction thumbnails. */
  readonly trainCharts: boolean;
  readonly runs: RunsViewState;
}

export const EMPTY_INSIGHT: InsightState = {
  page: 0,
  trainCharts: false,
  runs: { status: 'idle', records: [], selected: 0, marked: [] },
};

/** Images per page of the worst-mistakes gallery. */
export const GALLERY_PAGE = 5;
