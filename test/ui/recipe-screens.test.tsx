// The session's recipe views: the schedule's curve before training, the Train step saying that
// (and why) early stopping ended the run, and the epoch table's validation column and best mark.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';
import { scheduleCurve } from '../../src/core/train/schedule.js';
import { epochRowText } from '../../src/ui/components/EpochRow.js';
import { themeFor } from '../../src/ui/components/theme.js';
import { hyperparameterFields } from '../../src/ui/fields.js';
import { HyperparametersScreen } from '../../src/ui/screens/HyperparametersScreen.js';
import { TrainScreen } from '../../src/ui/screens/TrainScreen.js';
import { EMPTY_TRAIN, type HpState } from '../../src/ui/state.js';
import { reducer } from '../../src/ui/reducer.js';
import { initialState } from '../../src/ui/state.js';

describe('the schedule before training', () => {
  it('scheduleCurve samples the run from its first to its last step', () => {
    const hp = { ...SEED_HYPERPARAMETERS, learningRate: 1e-2, schedule: { kind: 'onecycle' as const }, epochs: 2 };
    const c = scheduleCurve(hp, 60000, 100);
    assert.equal(c.steps, 2 * 938);
    assert.equal(c.values.length, 100);
    assert.ok(Math.abs(c.values[0] - 1e-2 / 25) < 1e-12);
    assert.ok(Math.abs(Math.max(...c.values) - 1e-2) < 1e-4);
    assert.ok(c.values[99] < 1e-6);
    // --val takes its images out of the steps.
    assert.equal(scheduleCurve({ ...hp, validation: 10000 }, 60000, 100).steps, 2 * 782);
  });
  it('the Hyperparameters step draws it with its start, peak and end', () => {
    const form = {
      hyperparameters: { ...SEED_HYPERPARAMETERS, learningRate: 1e-3, schedule: { kind: 'onecycle' as const } },
      engine: 'onnx' as const,
    };
    const hp = { ...initialState({} as never).hp, form } as HpState;
    const frame =
      render(
        <HyperparametersScreen
          hp={hp}
          fields={hyperparameterFields(form)}
          columns={80}
          rows={30}
          theme={themeFor(false)}
          canTune={false}
          trainSize={60000}
        />,
      ).lastFrame() ?? '';
    assert.match(frame, /^lr [▁▂▃▄▅▆▇█ ]+ 4e-5 → 1e-3 → 4e-9 over 9,380 steps$/m);
  });
});

describe('early stopping in the Train step', () => {
  it('says that it stopped early and why', () => {
    let state = initialState({} as never);
    state = { ...state, train: { ...state.train, runId: 1, status: 'running' } };
    const earlyStop = { patience: 2, monitored: 'validation loss', bestEpoch: 3, best: 0.25 };
    state = reducer(state, {
      type: 'trainEvents',
      runId: 1,
      now: 0,
      events: [
        {
          type: 'trainEnd',
          reason: 'stopped',
          epochsCompleted: 5,
          at: { epoch: 6, batch: 0 },
          seconds: 12,
          history: [],
          earlyStop,
        },
      ],
    } as never);
    const frame =
      render(
        <TrainScreen
          train={{ ...EMPTY_TRAIN, ...state.train, runId: 1 }}
          optimizer="adam"
          batchSize={64}
          columns={120}
          rows={24}
          theme={themeFor(false)}
          imageStyle={{ style: 'ascii', color: false, palette: 'ansi256' }}
        />,
      ).lastFrame() ?? '';
    assert.match(frame, /✓ training stopped early after /);
    assert.match(
      frame.replace(/\n/g, ' '),
      /stopped early after epoch 5: validation loss did not improve for 2 epochs \(best 0\.250000 at epoch 3\)/,
    );
  });
  it('the epoch table shows the validation accuracy and marks the best epoch', () => {
    const m = { epoch: 3, trainLoss: 0.3, testLoss: 0.35, testAccuracy: 0.9, seconds: 2, samplesPerSecond: 30000 };
    const row = epochRowText({ ...m, learningRate: 1e-3, valLoss: 0.3, valAccuracy: 0.91, bestEpoch: 3 } as never, 10);
    assert.match(row, /90\.0% .* val 91\.0% \*$/);
    assert.ok(row.length <= 80, row);
    assert.doesNotMatch(epochRowText({ ...m, learningRate: 1e-3 }, 10), /val|\*/);
  });
});
