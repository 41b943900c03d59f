import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRESETS, parameterCount } from '../../src/core/model/spec.js';
import type { TrainingEvent } from '../../src/core/train/events.js';
import { OPTIMIZER_DEFAULTS } from '../../src/core/train/hyperparameters.js';
import { hyperparameterFields } from '../../src/ui/fields.js';
import type { KeyCommand } from '../../src/ui/keys.js';
import { reducer, type Action } from '../../src/ui/reducer.js';
import type { AppState } from '../../src/ui/state.js';
import { summarizeDataset } from '../../src/ui/summary.js';
import { fakeDataset, testState } from './fakes.js';

const cmd = (command: KeyCommand): Action => ({ type: 'command', command });
const run = (state: AppState, ...actions: Action[]) => actions.reduce(reducer, state);
const kinds = (s: AppState) => s.effects.map((e) => e.kind);
const dataset = fakeDataset();
const loaded = (s: AppState = testState()) =>
  reducer(s, { type: 'dataLoaded', dataset, summary: summarizeDataset(dataset) });
const atStep = (step: AppState['step'], s = loaded()) => ({ ...s, step, effects: [] });
function training(): AppState {
  const s = run(atStep('hyperparameters'), cmd('next'));
  return run(s, {
    type: 'trainEvents',
    runId: s.train.runId,
    now: 0,
    events: [begin(), { type: 'epochBegin', epoch: 1, epochs: 10 }],
  });
}
function begin(): TrainingEvent {
  const s = testState();
  return {
    type: 'trainBegin',
    spec: s.model.spec,
    hyperparameters: s.hp.form.hyperparameters,
    engine: 'onnx',
    backend: 'b',
    trainSize: 320,
    testSize: 40,
    stepsPerEpoch: 5,
    startEpoch: 1,
    parameterCount: 1,
  };
}

describe('reducer: start and data', () => {
  it('starts on Data and asks for the data to be loaded', () => {
    const s = testState();
    assert.equal(s.step, 'data');
    assert.deepEqual(kinds(s), ['loadData']);
  });
  it('enter moves on while the data is still loading', () => {
    assert.equal(reducer(testState(), cmd('next')).step, 'model');
  });
  it('download progress is kept per file', () => {
    const s = run(
      testState(),
      {
        type: 'dataProgress',
        progress: {
          type: 'download',
          file: 'a.gz',
          url: 'u',
          bytes: 10,
          total: 100,
          bytesPerSecond: 5,
          etaSeconds: 18,
        },
      },
      {
        type: 'dataProgress',
        progress: {
          type: 'download',
          file: 'a.gz',
          url: 'u',
          bytes: 50,
          total: 100,
          bytesPerSecond: 5,
          etaSeconds: 10,
        },
      },
      { type: 'dataProgress', progress: { type: 'verify', file: 'a.gz', ok: true } },
    );
    assert.equal(s.data.files.length, 1);
    assert.equal(s.data.files[0].bytes, 50);
    assert.equal(s.data.files[0].phase, 'verified');
  });
  it('a failed load shows the reason and enter retries', () => {
    const s = reducer(testState(), { type: 'dataFailed', message: 'no network' });
    assert.equal(s.data.status, 'error');
    const retry = reducer({ ...s, effects: [] }, cmd('next'));
    assert.equal(retry.step, 'data');
    assert.deepEqual(kinds(retry), ['loadData']);
  });
  it('class counts come from the labels', () => {
    assert.deepEqual(loaded().data.summary?.trainClassCounts, new Array(10).fill(32));
  });
});

describe('reducer: model', () => {
  const model = () => atStep('model');
  const cases: [string, KeyCommand[], (s: AppState) => unknown, unknown][] = [
    ['→ doubles the selected layer', ['right'], (s) => s.model.spec.hidden[0].units, 1024],
    ['← halves it', ['left'], (s) => s.model.spec.hidden[0].units, 256],
    ['a adds a layer after the selected one', ['addLayer'], (s) => s.model.spec.hidden.length, 3],
    ['d removes the selected layer', ['removeLayer'], (s) => s.model.spec.hidden.length, 1],
    ['t cycles the activation', ['cycleActivation'], (s) => s.model.spec.hidden[0].activation, 'tanh'],
    ['o cycles the dropout', ['cycleDropout', 'cycleDropout'], (s) => s.model.spec.hidden[0].dropout, 0.2],
    [
      '↓ to the output row, t changes the final activation',
      ['down', 'down', 'cycleActivation'],
      (s) => s.model.spec.finalActivation,
      'tanh',
    ],
    [
      'p switches to the recommended preset',
      ['cyclePreset'],
      (s) => [s.model.preset, s.model.spec.finalActivation],
      ['recommended', 'none'],
    ],
    ['↑ wraps to the output row', ['up'], (s) => s.model.selected, 2],
    [
      'the output layer cannot be removed',
      ['up', 'removeLayer'],
      (s) => s.status,
      'the output layer stays (10 classes); select a hidden layer to remove',
    ],
  ];
  for (const [name, keys, get, want] of cases)
    it(name, () => assert.deepEqual(get(run(model(), ...keys.map(cmd))), want));

  it('the parameter count follows the layers', () => {
    const s = run(model(), cmd('right'));
    assert.equal(
      s.model.parameterCount,
      parameterCount({
        ...PRESETS.seed,
        hidden: [{ units: 1024, activation: 'relu', dropout: 0 }, PRESETS.seed.hidden[1]],
      }),
    );
    assert.equal(model().model.parameterCount, 669_706);
  });
  it('e types a size; a bad one shows why', () => {
    let s = run(model(), cmd('edit'), { type: 'text', text: '0' }, cmd('editCommit'));
    assert.match(s.edit?.error ?? '', /size must be a whole number from 1 to 8192/);
    s = run(s, cmd('editBackspace'), { type: 'text', text: '100' }, cmd('editCommit'));
    assert.equal(s.edit, undefined);
    assert.equal(s.model.spec.hidden[0].units, 100);
  });
  it('esc goes back to Data, enter on to Hyperparameters', () => {
    assert.equal(reducer(model(), cmd('back')).step, 'data');
    assert.equal(reducer(model(), cmd('next')).step, 'hyperparameters');
  });
});

describe('reducer: hyperparameters', () => {
  const hp = () => atStep('hyperparameters');
  const fieldIndex = (s: AppState, id: string) => hyperparameterFields(s.hp.form).findIndex((f) => f.id === id);
  const select = (s: AppState, id: string) => ({ ...s, hp: { ...s.hp, selected: fieldIndex(s, id) } });

  it('enter starts training with the seed defaults and remembers them', () => {
    const s = reducer(hp(), cmd('next'));
    assert.equal(s.step, 'train');
    assert.equal(s.train.status, 'starting');
    assert.deepEqual(kinds(s), ['persistSettings', 'startTraining']);
  });
  it('→ on the learning rate climbs the ladder', () => {
    assert.equal(reducer(hp(), cmd('right')).hp.form.hyperparameters.learningRate, 3e-3);
    assert.equal(reducer(hp(), cmd('left')).hp.form.hyperparameters.learningRate, 3e-4);
  });
  it('a typed learning rate of 0 is refused: the field stays open with the reason (issue 11 item 5)', () => {
    for (const text of ['0', '-1', '-1e0']) {
      const s = run(hp(), cmd('edit'), { type: 'text', text }, cmd('editCommit'));
      assert.match(s.edit?.error ?? '', /learning rate must be a number above 0/, text);
      assert.equal(s.hp.form.hyperparameters.learningRate, 1e-3, `${text} is not committed`);
      assert.equal(s.hp.error, undefined);
      assert.equal(reducer(s, cmd('editCommit')).step, 'hyperparameters');
    }
  });
  it('the reason shows as it is typed and goes when the value is fixed', () => {
    let s = run(hp(), cmd('edit'), { type: 'text', text: '-' });
    assert.match(s.edit?.error ?? '', /must be a number/);
    s = run(s, { type: 'text', text: '1' });
    assert.match(s.edit?.error ?? '', /above 0/);
    s = run(s, cmd('editClearLine'), { type: 'text', text: '0.1' });
    assert.equal(s.edit?.error, undefined);
  });
  it('epochs 2.5 and batch size 0 are refused', () => {
    const e = run(select(hp(), 'epochs'), cmd('edit'), { type: 'text', text: '2.5' }, cmd('editCommit'));
    assert.match(e.edit?.error ?? '', /epochs must be a whole number/);
    const b = run(select(hp(), 'batchSize'), cmd('edit'), { type: 'text', text: '0' }, cmd('editCommit'));
    assert.match(b.edit?.error ?? '', /batch size must be a whole number of at least 1/);
  });
  it('lr 1e9 is legal but warned about, not shown as simply ready', () => {
    const s = run(hp(), cmd('edit'), { type: 'text', text: '1e9' }, cmd('editCommit'));
    assert.equal(s.edit, undefined);
    assert.equal(s.hp.form.hyperparameters.learningRate, 1e9);
    assert.match(s.hp.warning ?? '', /above 1: training almost surely diverges \(usual: 1e-4 to 1e-1\)/);
    assert.equal(s.status, s.hp.warning);
    assert.equal(reducer(s, cmd('next')).step, 'train', 'a warning does not stop training');
  });
  it('text that is not a number stays in the editor with its reason', () => {
    const s = run(hp(), cmd('edit'), { type: 'text', text: 'abc' }, cmd('editCommit'));
    assert.equal(s.edit?.error, "learning rate must be a number (got 'abc')");
  });
  it('a batch size larger than the training set is refused', () => {
    const s = run(select(hp(), 'batchSize'), cmd('edit'), { type: 'text', text: '100000' }, cmd('editCommit'));
    assert.match(s.edit?.error ?? '', /batch size 100000 is larger than the training set \(320 images\)/);
  });
  it('choosing adam shows its parameters', () => {
    const s = run(select(hp(), 'optimizer'), cmd('right'));
    assert.equal(s.hp.form.hyperparameters.optimizer.kind, 'adam');
    assert.ok(hyperparameterFields(s.hp.form).some((f) => f.id === 'optimizer.beta2'));
  });
  it('nll loss ends the model in LogSoftmax', () => {
    const s = run(select(hp(), 'loss'), cmd('right'));
    assert.equal(s.hp.form.hyperparameters.loss, 'nll');
    assert.equal(s.model.spec.logSoftmax, true);
  });
  it('nesterov without momentum is refused with the reason', () => {
    const s = run(select(hp(), 'optimizer.nesterov'), cmd('right'));
    assert.match(s.hp.error ?? '', /nesterov needs a momentum above 0/);
  });
  it('r resets to the seed values', () => {
    const s = run(hp(), cmd('right'), cmd('resetDefaults'));
    assert.equal(s.hp.form.hyperparameters.learningRate, 1e-3);
  });
  it('enter before the data arrives waits, then starts when it does', () => {
    const s = run({ ...testState(), step: 'hyperparameters', effects: [] }, cmd('next'));
    assert.equal(s.train.status, 'waiting');
    assert.ok(!kinds(s).includes('startTraining'));
    const t = reducer(s, { type: 'dataLoaded', dataset, summary: summarizeDataset(dataset) });
    assert.equal(t.train.status, 'starting');
    assert.ok(kinds(t).includes('startTraining'));
  });
  it('l runs the finder and enter applies its suggestion', () => {
    let s = reducer(hp(), cmd('lrFind'));
    assert.deepEqual(kinds(s), ['lrFind']);
    s = reducer(s, { type: 'lrFound', result: { learningRates: [1e-4, 1e-2], losses: [2.3, 1.9], suggestion: 0.02 } });
    s = reducer(s, cmd('next'));
    assert.equal(s.step, 'hyperparameters');
    assert.equal(s.hp.form.hyperparameters.learningRate, 0.02);
  });
  it('g runs the search; enter applies the best trial, model included, keeping the epochs', () => {
    let s = reducer(hp(), cmd('search'));
    const best = {
      id: 3,
      hyperparameters: {
        ...s.hp.form.hyperparameters,
        learningRate: 6.3e-4,
        epochs: 3,
        optimizer: OPTIMIZER_DEFAULTS.adam,
      },
      spec: PRESETS.recommended,
      testAccuracy: 0.87,
      testLoss: 0.36,
      seconds: 11,
      status: 'done' as const,
    };
    s = reducer(s, { type: 'searchTrial', trial: best });
    assert.equal(reducer(s, cmd('next')).status, 'still running: esc stops it');
    s = reducer(s, { type: 'searchDone', result: { trials: [best], best } });
    s = reducer(s, cmd('next'));
    assert.equal(s.hp.form.hyperparameters.optimizer.kind, 'adam');
    assert.equal(s.hp.form.hyperparameters.learningRate, 6.3e-4);
    assert.equal(s.hp.form.hyperparameters.epochs, 10);
    assert.equal(s.model.spec.finalActivation, 'none');
    assert.equal(s.hp.tune.status, 'idle');
  });
  it('esc during the search cancels it', () => {
    const s = run(hp(), cmd('search'), cmd('back'));
    assert.equal(s.hp.tune.status, 'idle');
    assert.deepEqual(kinds(s), ['search', 'cancelTune']);
  });
});

describe('reducer: train', () => {
  const control = (s: AppState) =>
    s.effects.filter((e) => e.kind === 'control').map((e) => (e.kind === 'control' ? e.command : undefined));
  const cases: [string, KeyCommand, unknown, Partial<AppState['train']>][] = [
    ['space pauses', 'pauseResume', { type: 'pause' }, { status: 'pausing' }],
    ['s stops after this epoch', 'stopAfterEpoch', { type: 'stopAfterEpoch' }, { status: 'stopping' }],
    ['x aborts', 'abort', { type: 'abort' }, { status: 'aborting' }],
    ['+ adds an epoch', 'addEpoch', { type: 'addEpochs', count: 1 }, { epochs: 11 }],
    ['[ halves the learning rate', 'halveLr', { type: 'setLearningRate', learningRate: 5e-4 }, { learningRate: 5e-4 }],
    ['] doubles it', 'doubleLr', { type: 'setLearningRate', learningRate: 2e-3 }, { learningRate: 2e-3 }],
  ];
  for (const [name, key, command, patch] of cases)
    it(name, () => {
      const s = reducer({ ...training(), effects: [] }, cmd(key));
      assert.deepEqual(control(s), [command]);
      for (const [k, v] of Object.entries(patch)) assert.equal(s.train[k as keyof AppState['train']], v);
    });
  it('space again resumes', () => {
    const s = run({ ...training(), effects: [] }, cmd('pauseResume'), cmd('pauseResume'));
    assert.deepEqual(control(s), [{ type: 'pause' }, { type: 'resume' }]);
  });
  it('q asks first while training; y quits, n keeps going', () => {
    const s = reducer(training(), cmd('quit'));
    assert.equal(s.overlay, 'confirm');
    assert.equal(s.question, 'quitTraining');
    assert.equal(reducer(s, cmd('confirmNo')).overlay, undefined);
    const y = reducer({ ...s, effects: [] }, cmd('confirmYes'));
    assert.deepEqual(kinds(y), ['exit']);
  });
  it('q quits at once when not training; ctrl+c always', () => {
    assert.deepEqual(kinds(reducer(atStep('model'), cmd('quit'))), ['exit']);
    const s = reducer({ ...training(), effects: [] }, cmd('forceQuit'));
    assert.equal(s.exiting, 130);
  });
  it('esc does not leave a running training', () => {
    const s = reducer(training(), cmd('back'));
    assert.equal(s.step, 'train');
    assert.match(s.status ?? '', /x aborts/);
  });
  it('batch events fold into the loss history, smoothed, with samples/s and ETA', () => {
    let s = training();
    s = reducer(s, {
      type: 'trainEvents',
      runId: s.train.runId,
      now: 0,
      events: [{ type: 'epochBegin', epoch: 1, epochs: 10 }],
    });
    s = reducer(s, {
      type: 'trainEvents',
      runId: s.train.runId,
      now: 1000,
      events: [
        { type: 'batchEnd', epoch: 1, batch: 0, step: 0, loss: 2, samplesSeen: 64, trainSize: 320, learningRate: 1e-3 },
        {
          type: 'batchEnd',
          epoch: 1,
          batch: 1,
          step: 1,
          loss: 1,
          samplesSeen: 128,
          trainSize: 320,
          learningRate: 1e-3,
        },
      ],
    });
    assert.deepEqual(s.train.losses, [2, 1]);
    assert.equal(s.train.smoothed[1].toFixed(2), '1.90');
    assert.equal(s.train.samplesPerSecond, 128);
    assert.equal(s.train.etaSeconds, (320 - 128 + 9 * 320) / 128);
    assert.equal(s.train.epochEtaSeconds, (320 - 128) / 128);
  });
  it('paused time counts neither in samples/s nor in the ETA', () => {
    let s = training();
    const id = s.train.runId;
    s = reducer(s, { type: 'trainEvents', runId: id, now: 0, events: [{ type: 'epochBegin', epoch: 1, epochs: 1 }] });
    s = reducer(s, {
      type: 'trainEvents',
      runId: id,
      now: 1000,
      events: [{ type: 'paused', at: { epoch: 1, batch: 1 } }],
    });
    s = reducer(s, {
      type: 'trainEvents',
      runId: id,
      now: 61_000,
      events: [{ type: 'resumed', at: { epoch: 1, batch: 1 } }],
    });
    s = reducer(s, {
      type: 'trainEvents',
      runId: id,
      now: 62_000,
      events: [
        {
          type: 'batchEnd',
          epoch: 1,
          batch: 1,
          step: 1,
          loss: 1,
          samplesSeen: 128,
          trainSize: 320,
          learningRate: 1e-3,
        },
      ],
    });
    assert.equal(s.train.samplesPerSecond, 64);
  });
  it('events of an older run are ignored', () => {
    const s = training();
    assert.equal(
      reducer(s, {
        type: 'trainEvents',
        runId: s.train.runId - 1,
        now: 0,
        events: [{ type: 'epochsChanged', epochs: 99 }],
      }),
      s,
    );
  });
  it('an epoch adds a row to the <Static> log; the end marks the run finished', () => {
    let s = training();
    const metrics = {
      epoch: 1,
      trainLoss: 2,
      testLoss: 1.9,
      testAccuracy: 0.4,
      seconds: 1,
      samplesPerSecond: 320,
      learningRate: 1e-3,
    };
    s = reducer(s, {
      type: 'trainEvents',
      runId: s.train.runId,
      now: 0,
      events: [
        { type: 'epochEnd', epochs: 1, ...metrics },
        {
          type: 'trainEnd',
          reason: 'completed',
          epochsCompleted: 1,
          at: { epoch: 2, batch: 0 },
          seconds: 1,
          history: [metrics],
        },
      ],
    });
    assert.deepEqual(
      s.log.map((e) => e.kind),
      ['runHeader', 'epoch', 'note'],
    );
    assert.equal(s.train.status, 'finished');
    assert.equal(reducer(s, cmd('next')).status, 'getting the trained weights: enter again in a moment');
    s = reducer(s, {
      type: 'trainModel',
      runId: s.train.runId,
      model: { spec: s.model.spec, hyperparameters: s.hp.form.hyperparameters, parameters: new Map() },
    });
    assert.equal(reducer(s, cmd('next')).step, 'save');
  });
  it('a training error is shown and enter goes back to fix the settings', () => {
    let s = training();
    s = reducer(s, {
      type: 'trainEvents',
      runId: s.train.runId,
      now: 0,
      events: [{ type: 'error', message: 'the loss became NaN' }],
    });
    assert.equal(s.train.status, 'error');
    assert.equal(reducer(s, cmd('next')).step, 'hyperparameters');
  });
});

describe('reducer: save, export, verify', () => {
  const trained = (): AppState => {
    const s = training();
    return {
      ...s,
      step: 'save',
      effects: [],
      train: {
        ...s.train,
        status: 'finished',
        model: { spec: s.model.spec, hyperparameters: s.hp.form.hyperparameters, parameters: new Map() },
      },
    };
  };
  it('enter saves, then exports, then verifies, then quits', () => {
    let s = reducer(trained(), cmd('next'));
    assert.deepEqual(kinds(s), ['save']);
    s = reducer(s, { type: 'saveDone', result: { dir: 'runs/test', files: [] } });
    s = reducer({ ...s, effects: [] }, cmd('next'));
    assert.equal(s.step, 'export');
    assert.deepEqual(kinds(s), ['export']);
    s = reducer(s, {
      type: 'exportDone',
      result: { file: { path: 'runs/test/model.onnx', bytes: 1, what: 'ONNX' }, opset: 17 },
    });
    s = reducer({ ...s, effects: [] }, cmd('next'));
    assert.equal(s.step, 'verify');
    assert.deepEqual(kinds(s), ['verify']);
    s = reducer(s, {
      type: 'verifyDone',
      result: {
        verdict: 'PASS',
        images: 1,
        maxAbsDiff: 0,
        argmaxAgreement: 1,
        onnxAccuracy: 1,
        referenceAccuracy: 1,
        checks: [],
        predictions: [],
      },
    });
    assert.deepEqual(kinds(reducer({ ...s, effects: [] }, cmd('next'))), ['exit']);
  });
  it('e types another folder', () => {
    const s = run(
      trained(),
      cmd('edit'),
      cmd('editBackspace'),
      cmd('editBackspace'),
      cmd('editBackspace'),
      cmd('editBackspace'),
      { type: 'text', text: 'mine' },
      cmd('editCommit'),
    );
    assert.equal(s.save.dir, 'runs/mine');
  });
  it('a failed save shows the reason and enter retries', () => {
    const s = reducer(reducer(trained(), cmd('next')), {
      type: 'taskFailed',
      task: 'save',
      message: 'runs/test/model.safetensors already exists',
    });
    assert.equal(s.save.status, 'error');
    assert.deepEqual(kinds(reducer({ ...s, effects: [] }, cmd('next'))), ['save']);
  });
  it('esc goes back a step', () => {
    assert.equal(reducer(trained(), cmd('back')).step, 'train');
  });
});

describe('reducer: help and resize', () => {
  it('? opens the help; ? closes it; other keys do nothing meanwhile', () => {
    const s = reducer(atStep('model'), cmd('help'));
    assert.equal(s.overlay, 'help');
    assert.equal(reducer(s, cmd('right')).model, s.model);
    assert.equal(reducer(s, cmd('help')).overlay, undefined);
  });
  it('resize records the size', () => {
    const s = reducer(testState(), { type: 'resize', columns: 120, rows: 50 });
    assert.deepEqual([s.columns, s.rows], [120, 50]);
  });
});
