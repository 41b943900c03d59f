// Issue 11 item 9: Hyperparameters at 80×24 with adam + cosine (21 fields).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { defaultSchedule } from '../../src/config/index.js';
import { OPTIMIZER_DEFAULTS } from '../../src/core/train/hyperparameters.js';
import { themeFor } from '../../src/ui/components/theme.js';
import { hyperparameterFields } from '../../src/ui/fields.js';
import { HyperparametersScreen, scrollWindow } from '../../src/ui/screens/HyperparametersScreen.js';
import { testState } from './fakes.js';

describe('a long field list at 24 rows', () => {
  it('scrollWindow keeps the selection in view and leaves two lines for "more"', () => {
    assert.deepEqual(scrollWindow(10, 3, 17), { start: 0, end: 10 });
    assert.deepEqual(scrollWindow(21, 0, 17), { start: 0, end: 15 });
    assert.deepEqual(scrollWindow(21, 20, 17), { start: 6, end: 21 });
  });
  it('says what is above and below, and the screen fits', () => {
    const s = testState();
    const form = {
      ...s.hp.form,
      hyperparameters: {
        ...s.hp.form.hyperparameters,
        optimizer: OPTIMIZER_DEFAULTS.adam,
        schedule: defaultSchedule('cosine', 64),
      },
    };
    const fields = hyperparameterFields(form);
    const at = (selected: number) =>
      render(
        <HyperparametersScreen
          hp={{ ...s.hp, form, selected }}
          fields={fields}
          columns={80}
          rows={24}
          theme={themeFor(false)}
          canTune
        />,
      ).lastFrame() ?? '';
    const bottom = at(fields.length - 1);
    assert.match(bottom, /↑ \d+ more above/);
    assert.doesNotMatch(bottom, /more below/);
    assert.ok(bottom.split('\n').length <= 24 - 3, 'room for the step bar, the status and the hint line');
    assert.match(at(0), /↓ \d+ more below/);
  });
});
