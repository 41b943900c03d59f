// Issue 13 item 10: the Model step's layer list at 80×24 — shapes, parameters, multiply-adds, a long
// list scrolled with its indicators, an invalid list shown in place — and the window it scrolls by.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { parseLayers } from '../../src/core/model/parse-layers.js';
import { layerListSpec, PRESETS, type ModelSpec } from '../../src/core/model/spec.js';
import { App } from '../../src/ui/app.js';
import { themeFor } from '../../src/ui/components/theme.js';
import { layerRowsFor, listWindow } from '../../src/ui/layer-list-layout.js';
import { ModelScreen } from '../../src/ui/screens/ModelScreen.js';
import { modelState, type AppState, type ModelState } from '../../src/ui/state.js';
import { fakeServices, testState, tick } from './fakes.js';

const LONG = parseLayers(`${'Conv2d(8,3,padding=1) ReLU '.repeat(12)}MaxPool2d(2) Flatten Linear(10)`); // 27 layers

/** What a terminal of this size shows of `node` (ink-testing-library's is 100 columns wide). */
async function frameAt(node: ReactElement, columns = 80, rows = 24): Promise<string[]> {
  const app = render(node);
  const stdout = app.stdout as unknown as NodeJS.EventEmitter & { columns: number; rows: number };
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
  stdout.emit('resize');
  await tick();
  const lines = (app.lastFrame() ?? '').split('\n');
  app.unmount();
  return lines;
}

/** The whole app on the Model step at 80×24. */
function appFrame(spec: ModelSpec, patch: (s: AppState) => AppState = (s) => s): Promise<string[]> {
  const state = patch({ ...testState({ spec, columns: 80, rows: 24 }), step: 'model', effects: [] });
  return frameAt(<App services={fakeServices()} initial={state} />);
}

const screen = (model: ModelState, columns = 80, rows = 24) =>
  frameAt(<ModelScreen model={model} rows={rows} columns={columns} theme={themeFor(false)} />, columns, rows);

describe('the layer list at 80×24', () => {
  it('the cnn preset fits whole: every layer with its shape, parameters and multiply-adds, and the totals', async () => {
    const lines = await appFrame(PRESETS.cnn);
    assert.match(lines[1], /Preset cnn — a small CNN/);
    assert.ok(
      lines.some((l) => /^› +0 +Conv2d\(16,3,padding=1\) +\[16, 28, 28\] +160 +112,896$/.test(l)),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => /^ +3 +MaxPool2d\(2\) +\[16, 14, 14\] +- +-$/.test(l)));
    assert.ok(lines.some((l) => /^ +12 +Linear\(10\) +\[10\] +1,290 +1,280$/.test(l)));
    assert.ok(!lines.some((l) => /more/.test(l)));
    assert.ok(lines.some((l) => l === 'Parameters 207,018 · 1,218,048 mult-adds per image'));
    assert.match(
      lines.at(-1) ?? '',
      /^enter next · ←→ size · a add · d del · K\/J move · p preset · e type · \? keys$/,
    );
    for (const l of lines) assert.ok(l.length <= 80, l);
    assert.ok(lines.length <= 23, `${lines.length} lines`);
  });

  it('a long list scrolls: "↓ N more" below at the top, both indicators in the middle, "↑ N more" at the end', async () => {
    for (const [selected, above, below] of [
      [0, undefined, 15],
      [14, 4, 12],
      [26, 15, undefined],
    ] as const) {
      const lines = await appFrame(layerListSpec(LONG), (s) => ({ ...s, model: modelState(s.model.spec, selected) }));
      const frame = lines.join('\n');
      assert.equal(lines.find((l) => l.includes('↑'))?.trim(), above && `↑ ${above} more`, frame);
      assert.equal(lines.find((l) => l.includes('↓'))?.trim(), below && `↓ ${below} more`, frame);
      assert.ok(
        lines.some((l) => new RegExp(`^› +${selected} `).test(l)),
        `the selected row is on screen\n${frame}`,
      );
      assert.ok(lines.length <= 23, `${lines.length} lines\n${frame}`);
      for (const l of lines) assert.ok(l.length <= 80, l);
    }
  });

  it('an invalid list: the breaking row marked ✗, the rows after it without shapes, why under the list', async () => {
    const bad = parseLayers('Conv2d(8,3) ReLU Linear(64) ReLU Linear(10)');
    const lines = await appFrame(layerListSpec(bad), (s) => ({ ...s, model: modelState(s.model.spec, 4) }));
    const frame = lines.join('\n');
    assert.ok(
      lines.some((l) => /^ +1 +ReLU +\[8, 26, 26\]/.test(l)),
      frame,
    );
    assert.ok(
      lines.some((l) => /^ ✗ 2 +Linear\(64\) *$/.test(l)),
      frame,
    );
    assert.ok(
      lines.some((l) => /^› +4 +Linear\(10\) *$/.test(l)),
      frame,
    );
    assert.match(frame, /✗ #2 Linear\(64\): Linear needs a flat input, it gets \[8, 26, 26\] \(put Flatten/);
    assert.doesNotMatch(frame, /Parameters/);
    for (const l of lines) assert.ok(l.length <= 80, l);
  });

  it('a breaking row scrolled out of view is named by its indicator', async () => {
    const layers = [...LONG.slice(0, 20), { type: 'Linear' as const, outFeatures: 10 }, ...LONG.slice(20)];
    const lines = await screen(modelState(layerListSpec(layers), 0));
    assert.ok(lines.includes('  ↓ 16 more (✗ #20 among them)'), lines.join('\n'));
  });

  it('long layer texts keep their columns; taller terminals show more rows', async () => {
    const layers = parseLayers(`Conv2d(1024,13,stride=13,padding=6) ${'ReLU '.repeat(30)}Flatten Linear(10)`);
    const model = modelState(layerListSpec(layers), 0);
    const narrow = await screen(model);
    const wide = await screen(model, 120, 40);
    // The longest layer text (35 characters) still fits 80 columns: the text column grows with it.
    const row = /^› +0 +Conv2d\(1024,13,stride=13,padding=6\) +\[1024, 3, 3\] +/;
    assert.ok(
      narrow.some((l) => row.test(l)),
      narrow.join('\n'),
    );
    const shown = (lines: string[]) => lines.filter((l) => /^[› ][ ✗] *\d+ /.test(l)).length;
    assert.equal(shown(narrow), layerRowsFor(24) - 1);
    assert.equal(shown(wide), layerRowsFor(40) - 1);
    for (const l of narrow) assert.ok(l.length <= 80, l);
  });

  it('the picker shows every kind and what enter adds', async () => {
    const frame = (await screen({ ...modelState(PRESETS.cnn, 3), picker: 0 })).join('\n');
    assert.match(frame, /Add Conv2d\(16,3,padding=1\) after #3 MaxPool2d\(2\)/);
    assert.match(frame, /Conv2d MaxPool2d AvgPool2d BatchNorm2d BatchNorm1d Dropout Flatten Linear ReLU\n/);
    assert.match(frame, /Tanh Sigmoid LeakyReLU LogSoftmax/);
  });
});

describe('listWindow: which rows a scrolled list shows', () => {
  // [count, selected, scroll, height] → [start, end]
  const cases: [number, number, number, number, number, number][] = [
    [10, 9, 0, 13, 0, 10], // fits: all
    [30, 0, 0, 13, 0, 12], // top: 12 rows and "↓ more"
    [30, 12, 0, 13, 2, 13], // one below the window: the selection becomes its last row
    [30, 10, 2, 13, 2, 13], // inside the last window: kept
    [30, 1, 2, 13, 1, 12], // above it: the selection becomes its first row
    [30, 29, 0, 13, 18, 30], // the end: 12 rows and "↑ more"
    [30, 5, 99, 13, 5, 16], // a stale scroll (the list got shorter) is pulled back
  ];
  for (const [count, selected, scroll, height, start, end] of cases)
    it(`${count} rows, selected ${selected}, scroll ${scroll}: rows ${start}–${end - 1}`, () => {
      const w = listWindow(count, selected, scroll, height);
      assert.deepEqual([w.start, w.end, w.above, w.below], [start, end, start, count - end]);
      const lines = w.end - w.start + (w.above > 0 ? 1 : 0) + (w.below > 0 ? 1 : 0);
      assert.ok(count <= height ? lines === count : lines === height, `${lines} lines`);
    });
});
