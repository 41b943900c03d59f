// The session: the reducer's state drawn as the step bar, the current screen, the status and hint
// lines, with the epoch log above in <Static>. Keys go to the reducer; effects to use-app-effects.
import { Box, type DOMElement, Static, Text, measureElement, renderToString, useInput, useStdin, useStdout } from 'ink';
import { useCallback, useMemo, useReducer, useRef } from 'react';
import { HelpOverlay } from './components/HelpOverlay.js';
import { KeyHints } from './components/KeyHints.js';
import { LogLine, bestEpochIds } from './components/LogLine.js';
import { StepBar } from './components/StepBar.js';
import { themeFor } from './components/theme.js';
import { hyperparameterFields } from './fields.js';
import { hintsFor, idleModelKeys } from './hints.js';
import { splitKeys } from './key-chunks.js';
import { useAppEffects } from './hooks/use-app-effects.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { bindingsFor } from './keys.js';
import { reducer } from './reducer.js';
import { InsightView } from './screens/InsightView.js';
import { StepScreen } from './screens/StepScreen.js';
import type { Services } from './services.js';
import { STEP_TITLES, type AppState, type LogEntry, type Question } from './state.js';

/** What the confirm overlay asks, by question. */
const QUESTIONS: Record<Question, string> = {
  quitTraining: 'Training is running. Stop it and quit?',
  quitUnsaved: 'The trained model is not saved (enter on Save keeps it). Quit anyway?',
  retrainUnsaved: 'The trained model is not saved. Train a new one in its place?',
};

export interface AppProps {
  readonly services: Services;
  readonly initial: AppState;
  /** Called once with the exit code before the app unmounts. */
  readonly onExit?: (code: number) => void;
}

export function App({ services, initial, onExit }: AppProps) {
  const [state, dispatch] = useReducer(reducer, initial);
  const stateRef = useRef(state);
  stateRef.current = state;
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
        <Box ref={liveRef} flexDirection="column">
          {s.log.map((entry) => (
            <LogLine key={entry.id} entry={entry} theme={t} best={ids.has(entry.id)} />
          ))}
        </Box>,
        { columns: stdout.columns || s.columns },
      ) + '\n'
    );
  }, [stdout]);
  // The live area's height, so a resize reprints only the log lines that were on screen with it.
  const liveRef = useRef<DOMElement>(null);
  const liveHeight = useCallback(() => (liveRef.current ? measureElement(liveRef.current).height : 0), []);
  useTerminalSize(dispatch, staticText, liveHeight);

  useAppEffects(services, state, stateRef, dispatch, onExit);

  // Keys are resolved in the reducer, against the state they land on (never a stale render's).
  // A chunk of keys that arrived together is split so that each one counts (key-chunks.ts).
  useInput(
    (input, key) => {
      for (const press of splitKeys(input, key)) dispatch({ type: 'key', ...press });
    },
    { isActive: isRawModeSupported },
  );

  const fields = useMemo(() => hyperparameterFields(state.hp.form), [state.hp.form]);
  // Every key when the terminal is tall enough; else the global ones and this step's.
  const picking = state.step === 'model' && state.model.picker !== undefined;
  const spec = state.model.spec;
  const helpSections = useMemo(() => {
    const idle: readonly string[] = idleModelKeys(spec);
    const others = (['data', 'model', 'hyperparameters', 'train', 'save'] as const).filter((s) => s !== state.step);
    const all = state.rows >= 52 || (state.columns >= 110 && state.rows >= 32);
    const steps = (['global', state.step, ...(all ? others : [])] as const)
      .map((scope) => ({
        title:
          scope === 'global'
            ? 'Everywhere'
            : `${STEP_TITLES[scope as AppState['step']]}${scope === state.step ? ' (this step)' : ''}`,
        bindings: bindingsFor(scope).filter(
          (b) =>
            (b.command !== 'forceQuit' || scope === 'global') &&
            b.inHelp !== false &&
            !(scope === 'model' && idle.includes(b.command)),
        ),
      }))
      .filter((s) => s.bindings.length > 0);
    // Help opened over the analysis or Runs view: that view's keys first.
    const view = state.insight.view;
    // The picker owns the keyboard (its letters jump to a kind): only its keys.
    if (picking) return [{ title: 'Adding a layer', bindings: bindingsFor('picker') }];
    const viewKeys = view
      ? [{ title: `${view === 'runs' ? 'Runs' : 'Analysis'} view`, bindings: bindingsFor(view) }]
      : [];
    return [...viewKeys, ...steps];
  }, [state.step, state.rows, state.columns, state.insight.view, picking, spec]);

  // The log changes once an epoch, the screen ten times a second.
  const bestIds = useMemo(() => bestEpochIds(state.log), [state.log]);

  return (
    <>
      <Static items={state.log as LogEntry[]}>
        {(entry) => <LogLine key={entry.id} entry={entry} theme={theme} best={bestIds.has(entry.id)} />}
      </Static>
      <Box flexDirection="column">
        <StepBar current={state.step} width={state.columns} theme={theme} />
        {state.overlay === 'help' ? (
          <HelpOverlay sections={helpSections} columns={state.columns} theme={theme} />
        ) : state.insight.view ? (
          <InsightView state={state} theme={theme} />
        ) : (
          <StepScreen state={state} fields={fields} theme={theme} canTune={Boolean(services.findLearningRate)} />
        )}
        {state.overlay === 'confirm' && state.question ? (
          <Text color={theme.warn} bold wrap="wrap">
            {QUESTIONS[state.question]} (y/n)
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
          <KeyHints hints={hintsFor(state)} columns={state.columns} theme={theme} />
        )}
      </Box>
    </>
  );
}
