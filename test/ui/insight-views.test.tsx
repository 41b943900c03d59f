// The session's insight views at 80×24 with fake services: the Runs view (browse, overlay, start
// a new run from a past run's settings), the Verify step's analysis view (heat map, F1 bars, pages
// of worst mistakes), and the Train step's charts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { analyzeLogits } from '../../src/core/analysis/analysis.js';
import { PRESETS } from '../../src/core/model/spec.js';
import { summariseRun } from '../../src/core/runs/record.js';
import { OPTIMIZER_DEFAULTS, SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';
import { App } from '../../src/ui/app.js';
import { reducer } from '../../src/ui/reducer.js';
import type { Services } from '../../src/ui/services.js';
import { fakeDataset, fakeServices, testState, tick, waitFor } from './fakes.js';

const ENTER = '\r';
const ESC = '\x1b';
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const epoch = (e: number, acc: number) => ({
  epoch: e,
  trainLoss: 1 / e,
  testLoss: 1.1 / e,
  testAccuracy: acc,
  seconds: 2,
  samplesPerSecond: 30000,
  learningRate: 0.001,
});
const records = [
  summariseRun({
    dir: 'runs/2026-12-01T10-00-00',
    metrics: {
      spec: PRESETS.seed,
      hyperparameters: SEED_HYPERPARAMETERS,
      history: [epoch(1, 0.5), epoch(2, 0.6)],
    },
  }),
  summariseRun({
    dir: 'runs/adam-run',
    metrics: {
      spec: PRESETS.recommended,
      hyperparameters: { ...SEED_HYPERPARAMETERS, learningRate: 0.003, optimizer: OPTIMIZER_DEFAULTS.adam, epochs: 3 },
      history: [epoch(1, 0.8), epoch(2, 0.85), epoch(3, 0.86)],
    },
  }),
  summariseRun({ dir: 'runs/broken', notes: ['metrics.json is unreadable (not valid JSON)'] }),
];

function services(): Services & { calls: string[] } {
  const base = fakeServices();
  const test = fakeDataset().test;
  const logits = new Float32Array(test.count * 10).map((_, k) => ((k * 7919) % 13) / 3);
  return {
    ...base,
    calls: base.calls,
    async verify(request) {
      const result = await base.verify(request);
      return { ...result, analysis: analyzeLogits(logits, test.labels, test.count, { topLosses: 30 }) };
    },
    async listRuns(root) {
      base.calls.push(`listRuns ${root}`);
      return records;
    },
  };
}

function app80x24(s = services()) {
  const app = render(<App services={s} initial={testState({ columns: 80, rows: 24 })} />);
  const frame = () => plain(app.lastFrame() ?? '');
  const press = async (key: string) => {
    app.stdin.write(key);
    await tick();
  };
  return { app, frame, press, services: s };
}

/** The live area (from the step bar down; finished epochs print above it) fits 24 lines of 80 columns. */
function assertFits(frame: string) {
  const all = frame.split('\n');
  const lines = all.slice(all.findIndex((l) => l.startsWith('fmnist-tui Data')));
  assert.ok(lines.length <= 24, `${lines.length} lines:\n${frame}`);
  for (const l of lines) assert.ok([...l].length <= 80, `${[...l].length} columns: ${l}`);
}

describe('insight views (80×24, fake services)', () => {
  it('R opens the Runs view from any step; space overlays; enter starts a new run with its settings', async () => {
    const { frame, press, services: s } = app80x24();
    await waitFor(frame, (f) => f.includes('Classes (training set)'), 'the data step');
    await press('R');
    let f = await waitFor(frame, (x) => x.includes('Past runs in runs/'), 'the Runs view');
    assert.deepEqual(
      s.calls.filter((c) => c.startsWith('listRuns')),
      ['listRuns runs'],
    );
    assert.match(f, /Past runs in runs\/ · 3 runs/);
    assert.match(f, /> \[ \] 2026-12-01T10-00-00 +seed +2 ep +60\.00%/);
    assert.match(f, /\[ \] broken +\? +0 ep .* note/);
    assert.match(f, /test accuracy {2}● 2026-12-01T10-00-00/);
    assertFits(f);
    await press('?');
    f = await waitFor(frame, (x) => x.includes('Runs view'), 'the help over the Runs view');
    assert.match(f, /space +overlay this run's curves/);
    await press('?');
    await waitFor(frame, (x) => x.includes('Past runs in runs/'), 'the Runs view again');
    await press('j');
    await press(' ');
    f = await waitFor(frame, (x) => x.includes('[●] adam-run'), 'the mark');
    assert.match(f, /test accuracy {2}● adam-run/);
    assert.match(f, /lr=0\.003 optimizer=adam/);
    await press(ENTER);
    f = await waitFor(frame, (x) => x.includes('learning rate'), 'the hyperparameters step');
    assert.match(f, /settings from runs\/adam-run: enter trains a new run with them/);
    assert.match(f, /‹ 3e-3 ›/);
    assert.match(f, /adam/);
    assertFits(f);
  });

  it('esc closes the Runs view where it was opened; a run without settings is refused with a reason', () => {
    let state = testState({ columns: 80, rows: 24 });
    state = reducer(state, { type: 'command', command: 'runs' });
    assert.equal(state.insight.view, 'runs');
    assert.deepEqual(
      state.effects.map((e) => e.kind),
      ['loadData', 'listRuns'],
    );
    state = reducer(state, { type: 'runsLoaded', root: 'runs', records });
    state = reducer(state, { type: 'command', command: 'down' });
    state = reducer(state, { type: 'command', command: 'down' });
    state = reducer(state, { type: 'command', command: 'useRunSettings' });
    assert.match(state.status ?? '', /runs\/broken has no readable settings \(metrics\.json is unreadable/);
    assert.equal(state.step, 'data');
    state = reducer(state, { type: 'command', command: 'closeView' });
    assert.equal(state.insight.view, undefined);
    assert.equal(state.step, 'data');
  });

  it('Verify: a shows the heat map with F1 bars and pages of the worst mistakes, at 80×24', async () => {
    const { frame, press } = app80x24();
    await waitFor(frame, (f) => f.includes('Classes (training set)'), 'the data step');
    await press(ENTER);
    await press(ENTER);
    await press(ENTER);
    await waitFor(frame, (f) => f.includes('enter: save'), 'the end of training', 10000);
    await press('c');
    let f = await waitFor(frame, (x) => x.includes('loss/epoch'), 'the train charts');
    assert.match(f, /loss\/epoch {2}● train loss {2}■ test loss +accuracy\/epoch {2}● test acc/);
    assert.match(f, /batch loss over the whole run/);
    assertFits(f);
    await press(ENTER);
    await waitFor(frame, (x) => x.includes('enter saves here'), 'the save step');
    await press(ENTER);
    await waitFor(frame, (x) => x.includes('saved · enter: export'), 'saving');
    await press(ENTER);
    await waitFor(frame, (x) => x.includes('exported · enter: verify'), 'export');
    await press(ENTER);
    f = await waitFor(frame, (x) => x.includes('Verdict'), 'the verdict');
    assert.match(f, /a analysis/);
    await press('a');
    f = await waitFor(frame, (x) => x.includes('Worst mistakes'), 'the analysis view');
    assert.match(f, /^Accuracy \d+\.\d\d% · rows: true class, columns: predicted · F1/m);
    assert.match(f, /^0 T-shirt\/top +\d+/m);
    assert.match(f, /^9 Ankle boot .* \.\d\d$/m);
    assert.match(f, /Worst mistakes 1\/6/);
    assert.match(f, /✗ \S+/);
    assertFits(f);
    await press(']');
    f = await waitFor(frame, (x) => x.includes('Worst mistakes 2/6'), 'the next page');
    await press('[');
    await press('[');
    f = await waitFor(frame, (x) => x.includes('Worst mistakes 1/6'), 'back to the first page');
    await press(ESC);
    f = await waitFor(frame, (x) => x.includes('Verdict'), 'the verify step again');
    assert.doesNotMatch(f, /Worst mistakes/);
  });
});
