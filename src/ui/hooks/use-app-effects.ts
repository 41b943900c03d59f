// The app's side effects: each effect the reducer queues, run against the services, with the
// outcome dispatched back. Aborts what still runs when the app unmounts.
import { useApp } from 'ink';
import { useCallback, useEffect, useRef, type MutableRefObject } from 'react';
import type { Action } from '../reducer.js';
import type { Services } from '../services.js';
import type { AppState } from '../state.js';
import { previewIndices, summarizeDataset } from '../summary.js';
import { useEffects } from './use-effects.js';
import { useTraining } from './use-training.js';

export function useAppEffects(
  services: Services,
  state: AppState,
  stateRef: MutableRefObject<AppState>,
  dispatch: (a: Action) => void,
  onExit?: (code: number) => void,
): void {
  const { exit } = useApp();
  const training = useTraining(services, dispatch, stateRef);
  const dataAbort = useRef<AbortController | undefined>(undefined);
  const tuneAbort = useRef<AbortController | undefined>(undefined);

  // Unmounting (also in tests) stops whatever still runs.
  useEffect(
    () => () => {
      dataAbort.current?.abort();
      tuneAbort.current?.abort();
      void training.stop(0);
    },
    [training],
  );

  const runTask = useCallback(
    async (task: 'save' | 'export' | 'verify', overwrite?: boolean) => {
      const s = stateRef.current;
      const model = s.train.model;
      const dataset = s.data.dataset;
      if (!model || !dataset) return dispatch({ type: 'taskFailed', task, message: 'nothing trained yet' });
      try {
        if (task === 'save')
          dispatch({
            type: 'saveDone',
            result: await services.saveRun({ dir: s.save.dir, dataset, model, overwrite }),
          });
        else if (task === 'export')
          dispatch({
            type: 'exportDone',
            result: await services.exportOnnx({ dir: s.save.result?.dir ?? s.save.dir, dataset, model, overwrite }),
          });
        else {
          const onnxPath = s.export.result?.file.path;
          if (!onnxPath) return dispatch({ type: 'taskFailed', task, message: 'export the model first' });
          dispatch({
            type: 'verifyDone',
            result: await services.verify({
              onnxPath,
              dir: s.save.result?.dir ?? s.save.dir,
              dataset,
              model,
              previewIndices: previewIndices(dataset, 6),
            }),
          });
        }
      } catch (err) {
        // RunFolderExistsError (io/run-folder-store.ts) says so in `reason`: the app offers overwrite / another name.
        const exists = (err as { reason?: string }).reason === 'exists';
        dispatch({ type: 'taskFailed', task, message: (err as Error).message.split('\n')[0], exists });
      }
    },
    [services, dispatch, stateRef],
  );

  useEffects(state.effects, dispatch, {
    loadData: () => {
      dataAbort.current?.abort();
      const controller = new AbortController();
      dataAbort.current = controller;
      services
        .loadData((progress) => dispatch({ type: 'dataProgress', progress }), controller.signal)
        .then((dataset) => dispatch({ type: 'dataLoaded', dataset, summary: summarizeDataset(dataset) }))
        .catch((err: Error) => {
          if (!controller.signal.aborted) dispatch({ type: 'dataFailed', message: err.message.split('\n')[0] });
        });
    },
    startTraining: () => void training.start(),
    control: (e) => training.control(e.command),
    save: (e) => void runTask('save', e.overwrite),
    export: (e) => void runTask('export', e.overwrite),
    verify: () => void runTask('verify'),
    persistSettings: () => {
      const s = stateRef.current;
      services.saveSettings({
        spec: s.model.spec,
        hyperparameters: s.hp.form.hyperparameters,
        engine: s.hp.form.engine,
      });
    },
    lrFind: () => {
      const s = stateRef.current;
      if (!services.findLearningRate || !s.data.dataset)
        return dispatch({ type: 'tuneFailed', message: 'the learning-rate finder is not available in this build' });
      const controller = new AbortController();
      tuneAbort.current = controller;
      services
        .findLearningRate(
          {
            dataset: s.data.dataset,
            spec: s.model.spec,
            hyperparameters: s.hp.form.hyperparameters,
            engine: s.hp.form.engine,
          },
          controller.signal,
        )
        .then((result) => !controller.signal.aborted && dispatch({ type: 'lrFound', result }))
        .catch(
          (err: Error) =>
            !controller.signal.aborted && dispatch({ type: 'tuneFailed', message: err.message.split('\n')[0] }),
        );
    },
    search: () => {
      const s = stateRef.current;
      if (!services.search || !s.data.dataset)
        return dispatch({ type: 'tuneFailed', message: 'the search is not available in this build' });
      const controller = new AbortController();
      tuneAbort.current = controller;
      services
        .search(
          {
            dataset: s.data.dataset,
            spec: s.model.spec,
            hyperparameters: s.hp.form.hyperparameters,
            engine: s.hp.form.engine,
          },
          (trial) => !controller.signal.aborted && dispatch({ type: 'searchTrial', trial }),
          controller.signal,
        )
        .then((result) => !controller.signal.aborted && dispatch({ type: 'searchDone', result }))
        .catch(
          (err: Error) =>
            !controller.signal.aborted && dispatch({ type: 'tuneFailed', message: err.message.split('\n')[0] }),
        );
    },
    cancelTune: () => tuneAbort.current?.abort(),
    listRuns: (e) => {
      if (!services.listRuns)
        return dispatch({ type: 'runsFailed', message: 'past runs are not available in this build' });
      services
        .listRuns(e.root)
        .then((records) => dispatch({ type: 'runsLoaded', root: e.root, records }))
        .catch((err: Error) => dispatch({ type: 'runsFailed', message: err.message.split('\n')[0] }));
    },
    exit: (e) => {
      dataAbort.current?.abort();
      tuneAbort.current?.abort();
      void training.stop().finally(() => {
        onExit?.(e.code);
        exit();
      });
    },
  });
}
