import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { PRESETS } from '../../src/core/model/spec.js';
import { themeFor } from '../../src/ui/components/theme.js';
import { ModelScreen } from '../../src/ui/screens/ModelScreen.js';
import { modelState } from '../../src/ui/state.js';

test('the Model step shows a layer-list preset read-only: shapes, parameters, multiply-adds, in 80 columns', () => {
  const frame = render(<ModelScreen model={modelState(PRESETS.cnn)} theme={themeFor(false)} />).lastFrame() ?? '';
  const lines = frame.split('\n');
  assert.match(lines[0], /Preset cnn — a small CNN/);
  assert.ok(
    lines.some((l) => /^ +0 +Conv2d\(16,3,padding=1\) +\[16, 28, 28\] +160 +112,896$/.test(l)),
    frame,
  );
  assert.ok(
    lines.some((l) => /^ +3 +MaxPool2d\(2\) +\[16, 14, 14\] +- +-$/.test(l)),
    frame,
  );
  assert.ok(
    lines.some((l) => /… 1 more/.test(l)),
    frame,
  );
  assert.match(frame, /Parameters 207,018/);
  for (const l of lines) assert.ok(l.length <= 80, l);
  assert.ok(lines.length <= 20);
});
