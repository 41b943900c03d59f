import { useCallback, useMemo, useRef, type MutableRefObject } from 'react';
import type { TrainingCommand, TrainingEvent } from '../../core/train/events.js';
import type { Action } from '../reducer.js';
import type { PreviewEvent, Services, TrainingRun } from '../services.js';
import type { AppState } from '../state.js';
import { previewIndices } from '../summary.js';

/** Batch events are folded into one action this often (the screen redraws at most ~12 fps anyway). */
export const FLUSH_MS = 100;

interface Current {
  readonly runId: number;
  readonly run: TrainingRun;
  readonly done: Promise<void>;
}

/**
 * Runs the train stream and feeds the reducer: batch events are buffered and dispatched
 * together on a timer, every other event at once (so a pause shows immediately).
 */
export function useTraining(services: Services, dispatch: (a: Action) => void, stateRef: MutableRefObject<AppState>) {
  const current = useRef<Current | undefined>(undefined);

  const stop = useCallback(async (timeoutMs = 3000) => {
    const c = current.current;
    if (!c) return;
    try {
      c.run.send({ type: 'abort' });
    } catch {
      // already finished
    }
    await Promise.race([c.done, new Promise((r) => setTimeout(r, timeoutMs).unref?.())]);
  }, []);

  const start = useCallback(async () => {
    await stop();
    const s = stateRef.current;
    const runId = s.train.runId;
    const dataset = s.data.dataset;
    if (!dataset) return dispatch({ type: 'trainFailed', runId, message: 'the data is not loaded' });
    let run: TrainingRun;
    try {
      run = services.startTraining({
        dataset,
        spec: s.model.spec,
        hyperparameters: s.hp.form.hyperparameters,
        engine: s.hp.form.engine,
        previewIndices: previewIndices(dataset, 6),
      });
    } catch (err) {
      return dispatch({ type: 'trainFailed', runId, message: (err as Error).message });
    }
    const done = (async () => {
      let buffer: (TrainingEvent | PreviewEvent)[] = [];
      let lastAt = Date.now();
      const flush = () => {
        if (buffer.length === 0) return;
        const events = buffer;
        buffer = [];
        dispatch({ type: 'trainEvents', runId, events, now: lastAt });
      };
      const timer = setInterval(flush, FLUSH_MS);
      try {
        for await (const e of run.events) {
          buffer.push(e);
          lastAt = Date.now();
          if (e.type !== 'batchEnd') flush();
        }
        flush();
        dispatch({ type: 'trainModel', runId, model: await run.result() });
      } catch (err) {
        flush();
        dispatch({ type: 'trainFailed', runId, message: (err as Error).message.split('\n')[0] });
      } finally {
        clearInterval(timer);
      }
    })();
    current.current = { runId, run, done };
  }, [services, dispatch, stateRef, stop]);

  const control = useCallback((command: TrainingCommand) => {
    try {
      current.current?.run.send(command);
    } catch {
      // a command after the end, or an invalid value the reducer already refused
    }
  }, []);

  return useMemo(() => ({ start, control, stop }), [start, control, stop]);
}
