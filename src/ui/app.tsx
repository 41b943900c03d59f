import { Box, Static, Text, renderToString, useApp, useInput, useStdin, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { EPOCH_HEADER, EpochRow } from './components/EpochRow.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { KeyHints } from './components/KeyHints.js';
import { StepBar } from './components/StepBar.js';
import { themeFor } from './components/theme.js';
import { hyperparameterFields } from './fields.js';
import { useEffects } from './hooks/use-effects.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { useTraining } from './hooks/use-training.js';
import { bindingsFor } from './keys.js';
import { isTraining, reducer } from './reducer.js';
import { DataScreen } from './screens/DataScreen.js';
import { ExportScreen } from './screens/ExportScreen.js';
import { HyperparametersScreen } from './screens/HyperparametersScreen.js';
import { ModelScreen } from './screens/ModelScreen.js';
import { SaveScreen } from './screens/SaveScreen.js';
import { TrainScreen } from './screens/TrainScreen.js';
import { VerifyScreen } from './screens/VerifyScreen.js';
import type { Services } from './services.js';
import { STEP_TITLES, type AppState, type LogEntry } from './state.js';
import { previewIndices, summarizeDataset } from './summary.js';

export interface AppProps {
  readonly services: Services;
  readonly initial: AppState;
  /** Called once with the exit code before the app unmounts. */
  readonly onExit?: (code: number) => void;
}

const HINTS: Record<AppState['step'], (s: AppState) => [string, string][]> = {
  data: (s) => [
    ['enter', s.data.status === 'error' ? 'retry' : 'next: model'],
    ['?', 'keys'],
    ['q', 'quit'],
  ],
  model: () => [
    ['enter', 'next'],
    ['←→', 'size'],
    ['a/d', 'add/del'],
    ['t', 'act.'],
    ['o', 'drop'],
    ['p', 'preset'],
    ['?', 'keys'],
  ],
  hyperparameters: (s) =>
    s.hp.tune.status !== 'idle'
      ? [
          ['enter', 'apply'],
          ['esc', 'close'],
        ]
      : [
          ['enter', 'train'],
          ['↑↓', 'field'],
          ['←→', 'change'],
          ['e', 'type'],
          ['r', 'reset'],
          ['l', 'lr finder'],
          ['g', 'search'],
          ['esc', 'back'],
          ['?', 'keys'],
        ],
  train: (s) =>
    isTraining(s)
      ? [
          ['space', s.train.status === 'paused' ? 'resume' : 'pause'],
          ['s', 'stop'],
          ['x', 'abort'],
          ['+', 'epoch'],
          ['[ ]', 'lr ½/×2'],
          ['q', 'quit'],
          ['?', 'keys'],
        ]
      : [
          ['enter', s.train.status === 'error' ? 'back' : 'next: save'],
          ['esc', 'back'],
          ['q', 'quit'],
          ['?', 'keys'],
        ],
  save: (s) => [
    ['enter', s.save.status === 'done' ? 'next: export' : 'save'],
    ['e', 'folder'],
    ['esc', 'back'],
    ['q', 'quit'],
  ],
  export: (s) => [
    ['enter', s.export.status === 'done' ? 'next: verify' : 'export'],
    ['esc', 'back'],
    ['q', 'quit'],
  ],
  verify: (s) => [
    ['enter', s.verify.status === 'done' ? 'finish' : 'verify'],
    ['esc', 'back'],
    ['q', 'quit'],
  ],
};

function LogLine({ entry, theme, best }: { entry: LogEntry; theme: ReturnType<typeof themeFor>; best: boolean }) {
  if (entry.kind === 'runHeader')
    return (
      <Box flexDirection="column">
        <Text bold color={theme.accent} wrap="truncate">
          {entry.text}
        </Text>
        <Text color={theme.muted} wrap="truncate">
          {EPOCH_HEADER}
        </Text>
      </Box>
    );
  if (entry.kind === 'epoch')
    return <EpochRow metrics={entry.metrics} epochs={entry.epochs} best={best} theme={theme} />;
  return (
    <Text color={theme.muted} wrap="truncate">
      {entry.text}
    </Text>
  );
}

/** Epoch rows that beat every earlier epoch of their run (shown in green). */
function bestEpochIds(log: readonly LogEntry[]): Set<string> {
  let bestSoFar = -1;
  const ids = new Set<string>();
  for (const e of log) {
    if (e.kind === 'runHeader') bestSoFar = -1;
    if (e.kind === 'epoch' && e.metrics.testAccuracy > bestSoFar) {
      bestSoFar = e.metrics.testAccuracy;
      ids.add(e.id);
    }
  }
  return ids;
}

export function App({ services, initial, onExit }: AppProps) {
  const [state, dispatch] = useReducer(reducer, initial);
  const stateRef = useRef(state);
  stateRef.current = state;
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const { stdout } = useStdout();
  const theme = themeFor(state.color);
  const staticText = useCallback(() => {
    const s = stateRef.current;
    if (s.log.length === 0) return '';
    const ids = bestEpochIds(s.log);
    const t = themeFor(s.color);
    return (
      renderToString(
        <Box flexDirection="column">
          {s.log.map((entry) => (
            <LogLine key={entry.id} entry={entry} theme={t} best={ids.has(entry.id)} />
          ))}
        </Box>,
        { columns: stdout.columns || s.columns },
      ) + '\n'
    );
  }, [stdout]);
  useTerminalSize(dispatch, staticText);

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
    async (task: 'save' | 'export' | 'verify') => {
      const s = stateRef.current;
      const model = s.train.model;
      const dataset = s.data.dataset;
      if (!model || !dataset) return dispatch({ type: 'taskFailed', task, message: 'nothing trained yet' });
      try {
        if (task === 'save')
          dispatch({ type: 'saveDone', result: await services.saveRun({ dir: s.save.dir, dataset, model }) });
        else if (task === 'export')
          dispatch({
            type: 'exportDone',
            result: await services.exportOnnx({ dir: s.save.result?.dir ?? s.save.dir, dataset, model }),
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
        dispatch({ type: 'taskFailed', task, message: (err as Error).message.split('\n')[0] });
      }
    },
    [services],
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
    save: () => void runTask('save'),
    export: () => void runTask('export'),
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
    exit: (e) => {
      dataAbort.current?.abort();
      tuneAbort.current?.abort();
      void training.stop().finally(() => {
        onExit?.(e.code);
        exit();
      });
    },
  });

  // Keys are resolved in the reducer, against the state they land on (never a stale render's).
  useInput((input, key) => dispatch({ type: 'key', input, key }), { isActive: isRawModeSupported });

  const fields = useMemo(() => hyperparameterFields(state.hp.form), [state.hp.form]);
  // Every key when the terminal is tall enough; else the global ones and this step's.
  const helpSections = useMemo(() => {
    const others = (['data', 'model', 'hyperparameters', 'train', 'save'] as const).filter((s) => s !== state.step);
    const all = state.rows >= 52 || (state.columns >= 110 && state.rows >= 32);
    return (['global', state.step, ...(all ? others : [])] as const)
      .map((scope) => ({
        title:
          scope === 'global'
            ? 'Everywhere'
            : `${STEP_TITLES[scope as AppState['step']]}${scope === state.step ? ' (this step)' : ''}`,
        bindings: bindingsFor(scope).filter((b) => b.command !== 'forceQuit' || scope === 'global'),
      }))
      .filter((s) => s.bindings.length > 0);
  }, [state.step, state.rows, state.columns]);

  // The log changes once an epoch, the screen ten times a second.
  const bestIds = useMemo(() => bestEpochIds(state.log), [state.log]);

  const test = state.data.dataset?.test;
  const screen = (() => {
    switch (state.step) {
      case 'data':
        return (
          <DataScreen
            data={state.data}
            columns={state.columns}
            rows={state.rows}
            theme={theme}
            imageStyle={state.imageStyle}
          />
        );
      case 'model':
        return (
          <ModelScreen
            model={state.model}
            editing={state.edit?.target === 'model.units' ? state.edit : undefined}
            theme={theme}
          />
        );
      case 'hyperparameters':
        return (
          <HyperparametersScreen
            hp={state.hp}
            fields={fields}
            edit={state.edit}
            columns={state.columns}
            rows={state.rows}
            theme={theme}
            canTune={Boolean(services.findLearningRate)}
          />
        );
      case 'train':
        return (
          <TrainScreen
            train={state.train}
            optimizer={state.hp.form.hyperparameters.optimizer.kind}
            batchSize={state.hp.form.hyperparameters.batchSize}
            test={test}
            columns={state.columns}
            rows={state.rows}
            theme={theme}
            imageStyle={state.imageStyle}
          />
        );
      case 'save':
        return (
          <SaveScreen
            save={state.save}
            edit={state.edit?.target === 'save.dir' ? state.edit : undefined}
            theme={theme}
          />
        );
      case 'export':
        return <ExportScreen exported={state.export} theme={theme} />;
      case 'verify':
        return (
          <VerifyScreen
            verify={state.verify}
            test={test}
            columns={state.columns}
            rows={state.rows}
            theme={theme}
            imageStyle={state.imageStyle}
          />
        );
    }
  })();

  return (
    <>
      <Static items={state.log as LogEntry[]}>
        {(entry) => <LogLine key={entry.id} entry={entry} theme={theme} best={bestIds.has(entry.id)} />}
      </Static>
      <Box flexDirection="column">
        <StepBar current={state.step} width={state.columns} theme={theme} />
        {state.overlay === 'help' ? (
          <HelpOverlay sections={helpSections} columns={state.columns} theme={theme} />
        ) : (
          screen
        )}
        {state.overlay === 'confirmQuit' ? (
          <Text color={theme.warn} bold>
            Training is running. Stop it and quit? (y/n)
          </Text>
        ) : null}
        {state.status ? (
          <Text color={theme.warn} wrap="truncate">
            {state.status}
          </Text>
        ) : null}
        {state.exiting !== undefined ? (
          <Text color={theme.muted}>quitting…</Text>
        ) : (
          <KeyHints hints={HINTS[state.step](state)} theme={theme} />
        )}
      </Box>
    </>
  );
}
