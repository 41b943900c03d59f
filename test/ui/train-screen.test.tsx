// The Train screen at 80 columns with awkward numbers (issue 11 items 6 and 13).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { themeFor } from '../../src/ui/components/theme.js';
import { epochRowText } from '../../src/ui/components/EpochRow.js';
import { formatLoss } from '../../src/ui/format.js';
import { TrainScreen } from '../../src/ui/screens/TrainScreen.js';
import { EMPTY_TRAIN, type TrainState } from '../../src/ui/state.js';

const screen = (train: Partial<TrainState>) =>
  render(
    <TrainScreen
      train={{ ...EMPTY_TRAIN, runId: 1, epochs: 1, trainSize: 64, stepsPerEpoch: 8, ...train }}
      optimizer="sgd"
      batchSize={8}
      columns={80}
      rows={24}
      theme={themeFor(false)}
      imageStyle={{ style: 'ascii', color: false, palette: 'ansi256' }}
    />,
  ).lastFrame() ?? '';

describe('a diverged run at 80 columns (issue 11 item 6)', () => {
  it('the loss prints compactly and the plot labels stay whole', () => {
    const f = screen({ status: 'error', losses: [2.3, 7.255248559378043e24], smoothed: [2.3, 7.255248559378043e23] });
    assert.match(f, /^ +smooth .* 7\.26e\+23$/m);
    assert.match(f, /^loss +raw .* 7\.26e\+24$/m);
    assert.doesNotMatch(f, /7255248559378043/);
    for (const line of f.split('\n').slice(0, 4)) assert.ok(line.length <= 80, line);
  });
  it('formatLoss: at most 9 characters', () => {
    for (const [x, want] of [
      [0.23456789, '0.2346'],
      [12345.6, '1.23e+4'],
      [7.255248559378043e24, '7.26e+24'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'inf'],
    ] as const)
      assert.equal(formatLoss(x), want);
  });
  it('the epoch log row keeps its columns', () => {
    const row = epochRowText(
      {
        epoch: 1,
        epochs: 1,
        trainLoss: 7.255248559378043e24,
        testLoss: Number.NaN,
        testAccuracy: 0.1,
        seconds: 1,
        samplesPerSecond: 60000,
      } as never,
      1,
    );
    assert.ok(row.length <= 64, row);
  });
});

describe('an aborted run (issue 11 item 13)', () => {
  it('says aborted, without ✓, "finished" or an ETA of 0', () => {
    const f = screen({ status: 'finished', endReason: 'aborted', seconds: 6.3, epochEtaSeconds: 0, etaSeconds: 0 });
    assert.match(f, /■ training aborted after 0 epochs in 6\.3s · esc: back to the settings/);
    assert.doesNotMatch(f, /✓|finished|ETA/);
    assert.match(f, /· aborted/);
  });
  it('a completed run still says ✓ finished', () => {
    const f = screen({ status: 'finished', endReason: 'completed', seconds: 6.3 });
    assert.match(f, /✓ training finished after 0 epochs/);
  });
});

describe('the help at 120×40 (issue 11 item 13)', () => {
  it('every description is shown whole', async () => {
    const { HelpOverlay } = await import('../../src/ui/components/HelpOverlay.js');
    const { KEY_TABLE, bindingsFor } = await import('../../src/ui/keys.js');
    const sections = (['global', 'data', 'model', 'hyperparameters', 'train', 'save'] as const).map((scope) => ({
      title: scope,
      bindings: bindingsFor(scope),
    }));
    // One section at a time, so that it sits in the left column and its lines read in order.
    const shown = (section: (typeof sections)[number]) =>
      (render(<HelpOverlay sections={[section]} columns={120} theme={themeFor(false)} />).lastFrame() ?? '')
        .split('\n')
        .map((l) => l.replace(/[│╭╮╰╯─]/g, ' ').trim())
        .join(' ')
        .replace(/\s+/g, ' ');
    const f = sections.map(shown).join(' ');
    for (const b of KEY_TABLE.filter((k) => sections.some((s) => s.title === k.scope)))
      assert.ok(f.includes(b.description), `'${b.description}' is whole`);
  });
});

describe('the Data step after a failure (issue 11 item 13)', () => {
  it('no longer says it is looking for the data', async () => {
    const { DataScreen } = await import('../../src/ui/screens/DataScreen.js');
    const f =
      render(
        <DataScreen
          data={{ status: 'error', files: [], messages: [], error: 'no network and no cache' }}
          columns={80}
          rows={24}
          theme={themeFor(false)}
          imageStyle={{ style: 'ascii', color: false, palette: 'ansi256' }}
        />,
      ).lastFrame() ?? '';
    assert.doesNotMatch(f, /looking for/);
    assert.match(f, /Source none found/);
  });
});

describe('where the settings came from (issue 11 item 7, the session part)', () => {
  it('the Train screen names the engine; one that is not onnx stands out', () => {
    const f = render(
      <TrainScreen
        train={{ ...EMPTY_TRAIN, runId: 1, epochs: 1, status: 'running' }}
        optimizer="sgd"
        engine="tfjs"
        batchSize={8}
        columns={80}
        rows={24}
        theme={themeFor(false)}
        imageStyle={{ style: 'ascii', color: false, palette: 'ansi256' }}
      />,
    ).lastFrame();
    assert.match(f ?? '', /lr 0 · sgd · batch 8 · tfjs · running/);
  });
  it('remembered settings are announced on Hyperparameters until r resets them', async () => {
    const { initialState } = await import('../../src/ui/state.js');
    const { reducer } = await import('../../src/ui/reducer.js');
    const { HyperparametersScreen } = await import('../../src/ui/screens/HyperparametersScreen.js');
    const { hyperparameterFields } = await import('../../src/ui/fields.js');
    const show = (s: ReturnType<typeof initialState>) =>
      render(
        <HyperparametersScreen
          hp={s.hp}
          fields={hyperparameterFields(s.hp.form)}
          columns={80}
          rows={24}
          theme={themeFor(false)}
          canTune={false}
        />,
      ).lastFrame() ?? '';
    const s = { ...initialState({ saveDir: 'runs/x', settingsLoaded: true }), step: 'hyperparameters' as const };
    assert.match(show(s), /last settings loaded \(r resets to the seed's\)/);
    const reset = reducer(s, { type: 'command', command: 'resetDefaults' });
    assert.doesNotMatch(show(reset), /last settings loaded/);
    assert.doesNotMatch(show({ ...initialState({ saveDir: 'runs/x' }), step: 'hyperparameters' }), /last settings/);
  });
});

describe('the Train screen at 60 columns (issue 11 item 11)', () => {
  it('the progress line is one line, cut at the edge (it wrapped into a blank line)', () => {
    const f =
      render(
        <Box width={60}>
          <TrainScreen
            train={{
              ...EMPTY_TRAIN,
              runId: 1,
              epoch: 3,
              epochs: 3,
              status: 'running',
              trainSize: 6000,
              samplesSeen: 4600,
              batch: 575,
              stepsPerEpoch: 750,
              samplesPerSecond: 1160,
              epochEtaSeconds: 1.3,
            }}
            optimizer="sgd"
            batchSize={8}
            columns={60}
            rows={20}
            theme={themeFor(false)}
            imageStyle={{ style: 'ascii', color: false, palette: 'ansi256' }}
          />
        </Box>,
      ).lastFrame() ?? '';
    const lines = f.split('\n');
    assert.match(lines[0], /^Epoch 3\/3 +█+/);
    assert.match(lines[1], /^loss +raw/);
  });
});
