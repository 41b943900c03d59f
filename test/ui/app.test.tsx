import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { fakeServices, testState, tick, waitFor } from './fakes.js';

const ENTER = '\r';
const ESC = '\x1b';

async function press(stdin: { write: (s: string) => void }, key: string) {
  stdin.write(key);
  await tick();
}

/** Visible text, ANSI escapes removed. */
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('App (ink-testing-library, fake services)', () => {
  it('a new user presses enter through every step: data, model, hyperparameters, train, save, export, verify', async () => {
    const services = fakeServices();
    let code: number | undefined;
    const app = render(
      <App services={services} initial={testState({ hyperparameters: undefined })} onExit={(c) => (code = c)} />,
    );
    const frame = () => plain(app.lastFrame() ?? '');
    const stdin = app.stdin;

    let f = await waitFor(frame, (s) => s.includes('Classes (training set)'), 'the data summary');
    assert.match(f, /Source fake sample \(test data\)/);
    assert.match(f, /0 T-shirt\/top .* 32/);
    assert.match(f, /Sneaker/); // preview captions

    await press(stdin, ENTER);
    f = await waitFor(frame, (s) => s.includes('Parameters 669,706'), 'the model step');
    assert.match(f, /Preset seed/);
    assert.match(f, /1 +Linear hidden +512 +relu/);

    await press(stdin, ENTER);
    f = await waitFor(frame, (s) => s.includes('learning rate'), 'the hyperparameters step');
    assert.match(f, /‹ 1e-3 ›/);
    assert.match(f, /✓ ready to train/);

    await press(stdin, ENTER);
    f = await waitFor(frame, (s) => s.includes('✓ training finished after 10 epochs'), 'the end of training', 10000);
    assert.match(f, /10\/10 +1\.200000 +1\.100000 +130\.0%/); // the last <Static> epoch row (fake metrics)
    assert.match(f, /Test predictions after epoch 10/);
    assert.match(f, /✗ Coat/);
    assert.match(f, /is Trouser/);
    assert.deepEqual(services.saved.length, 1);

    await press(stdin, ENTER);
    await waitFor(frame, (s) => s.includes('enter saves here'), 'the save step');
    await press(stdin, ENTER);
    f = await waitFor(frame, (s) => s.includes('saved · enter: export'), 'saving');
    assert.match(f, /✓ runs\/test\/model\.safetensors \(2\.7 MB, weights\)/);

    await press(stdin, ENTER);
    f = await waitFor(frame, (s) => s.includes('exported · enter: verify'), 'export');
    assert.match(f, /runs\/test\/model\.onnx \(2\.7 MB\)/);

    await press(stdin, ENTER);
    f = await waitFor(frame, (s) => s.includes('Verdict'), 'verification');
    assert.match(f, /Verdict +PASS/);
    assert.match(f, /max \|Δ\| 1\.50e-7/);

    await press(stdin, ENTER);
    await waitFor(
      () => String(code),
      (s) => s === '0',
      'exit code 0',
    );
    assert.deepEqual(services.calls, ['loadData', 'startTraining', 'save runs/test', 'export', 'verify']);
    app.unmount();
  });

  it('keys act mid-epoch: space pauses and resumes, + adds an epoch, [ ] change the learning rate, s stops', async () => {
    const services = fakeServices({ manual: true, steps: 50 });
    const app = render(<App services={services} initial={{ ...testState(), step: 'hyperparameters' }} />);
    const frame = () => plain(app.lastFrame() ?? '');
    await waitFor(frame, (s) => s.includes('ready to train'), 'data loaded');
    await press(app.stdin, ENTER);
    services.step(3);
    await waitFor(frame, (s) => /batch 3\/50/.test(s), 'three batches');

    await press(app.stdin, ' ');
    await waitFor(frame, (s) => s.includes('pausing…') || s.includes('paused'), 'pause acknowledged');
    await press(app.stdin, ' ');
    await waitFor(frame, (s) => s.includes('resumed'), 'resume acknowledged');
    await press(app.stdin, '+');
    await waitFor(frame, (s) => s.includes('Epoch 1/11'), 'an added epoch');
    await press(app.stdin, ']');
    await waitFor(frame, (s) => s.includes('lr 2e-3'), 'doubled learning rate');
    await press(app.stdin, '[');
    await press(app.stdin, '[');
    await waitFor(frame, (s) => s.includes('lr 5e-4'), 'halved twice');
    await press(app.stdin, 's');
    await waitFor(frame, (s) => s.includes('stopping after epoch 1'), 'stop acknowledged');
    await waitFor(
      () => services.commands.map((c) => c.type).join(),
      (s) => s.endsWith('stopAfterEpoch'),
      'the command sent',
    );
    services.step(100);
    await waitFor(frame, (s) => s.includes('✓ training stopped after 1 epoch'), 'stopped after the epoch');
    assert.deepEqual(
      services.commands.map((c) => c.type),
      ['pause', 'resume', 'addEpochs', 'setLearningRate', 'setLearningRate', 'setLearningRate', 'stopAfterEpoch'],
    );
    app.unmount();
  });

  it('q while training asks first; n keeps training; y stops it and quits', async () => {
    const services = fakeServices({ manual: true, steps: 50 });
    let code: number | undefined;
    const app = render(
      <App services={services} initial={{ ...testState(), step: 'hyperparameters' }} onExit={(c) => (code = c)} />,
    );
    const frame = () => plain(app.lastFrame() ?? '');
    await waitFor(frame, (s) => s.includes('ready to train'), 'data loaded');
    await press(app.stdin, ENTER);
    services.step(1);
    await waitFor(frame, (s) => /batch 1\/50/.test(s), 'one batch');
    await press(app.stdin, 'q');
    await waitFor(frame, (s) => s.includes('Stop it and quit? (y/n)'), 'the question');
    await press(app.stdin, 'n');
    await waitFor(frame, (s) => !s.includes('Stop it and quit?'), 'the question gone');
    assert.equal(code, undefined);
    await press(app.stdin, 'q');
    await press(app.stdin, 'y');
    await waitFor(
      () => String(code),
      (s) => s === '0',
      'exit',
    );
    assert.ok(services.commands.some((c) => c.type === 'abort'));
    app.unmount();
  });

  it('? lists every key of the step and the global ones; esc closes it', async () => {
    const app = render(<App services={fakeServices()} initial={{ ...testState(), step: 'train' }} />);
    const frame = () => plain(app.lastFrame() ?? '');
    await press(app.stdin, '?');
    const f = await waitFor(frame, (s) => s.includes('Keys (? or esc closes)'), 'the help');
    for (const text of [
      'pause / resume',
      'stop after this epoch',
      'abort now',
      'add an epoch',
      'halve the learning rate',
      'double the learning rate',
      'go back a step',
      'quit (asks first while training)',
      'show every key',
    ])
      assert.ok(f.includes(text), `help lists '${text}'`);
    await press(app.stdin, ESC);
    await waitFor(frame, (s) => !s.includes('Keys (? or esc closes)'), 'help closed');
    app.unmount();
  });

  it('esc goes back a step; the model keys edit the layer list live', async () => {
    const app = render(<App services={fakeServices()} initial={{ ...testState(), step: 'model' }} />);
    const frame = () => plain(app.lastFrame() ?? '');
    await waitFor(frame, (s) => s.includes('Parameters 669,706'), 'model');
    await press(app.stdin, 'a');
    await waitFor(frame, (s) => s.includes('Parameters 932,362'), 'a third layer of 512');
    await press(app.stdin, 'd');
    await press(app.stdin, 'p');
    await waitFor(frame, (s) => s.includes('Preset recommended'), 'the recommended preset');
    await press(app.stdin, ESC);
    await waitFor(frame, (s) => s.includes('Classes (training set)'), 'back on Data');
    app.unmount();
  });

  it('shows per-file download progress with size, speed and ETA', async () => {
    const services = fakeServices({ holdData: true });
    const app = render(<App services={services} initial={testState()} />);
    const f = await waitFor(
      () => plain(app.lastFrame() ?? ''),
      (s) => s.includes('train-images-idx3-ubyte'),
      'the download row',
    );
    assert.match(f, /1\.0 MB\/4\.0 MB +500 kB\/s +ETA 6\.0s/);
    assert.match(f, /█+░+/);
    services.releaseData();
    app.unmount();
  });

  it('a data error shows its reason; typing a bad hyperparameter shows why inline', async () => {
    const app = render(<App services={fakeServices({ dataError: 'no network and no cache' })} initial={testState()} />);
    await waitFor(
      () => plain(app.lastFrame() ?? ''),
      (s) => s.includes('✗ no network and no cache — enter or r tries again'),
      'the error',
    );
    app.unmount();
    const hp = render(<App services={fakeServices()} initial={{ ...testState(), step: 'hyperparameters' }} />);
    const frame = () => plain(hp.lastFrame() ?? '');
    await waitFor(frame, (s) => s.includes('ready to train'), 'ready');
    await press(hp.stdin, 'e');
    await press(hp.stdin, '-');
    await press(hp.stdin, '1');
    await press(hp.stdin, ENTER);
    await waitFor(
      frame,
      (s) => s.includes('✗ learning rate must be a number above 0, e.g. 1e-3 (got -1)'),
      'the reason',
    );
    // Refused: the field stays open with the reason, and nothing claims the form is ready (issue 11 item 5).
    assert.doesNotMatch(frame(), /ready to train/);
    await press(hp.stdin, ENTER);
    assert.match(frame(), /learning rate +-1/);
    await press(hp.stdin, ESC);
    await waitFor(frame, (s) => s.includes('‹ 1e-3 ›') && s.includes('✓ ready to train'), 'the old value kept');
    hp.unmount();
  });

  it('l draws the learning-rate finder curve and enter applies its suggestion; g searches', async () => {
    const app = render(<App services={fakeServices()} initial={{ ...testState(), step: 'hyperparameters' }} />);
    const frame = () => plain(app.lastFrame() ?? '');
    await waitFor(frame, (s) => s.includes('ready to train'), 'ready');
    await press(app.stdin, 'l');
    const f = await waitFor(frame, (s) => s.includes('Learning-rate finder'), 'the curve');
    assert.match(f, /0\.01 suggested/);
    assert.match(f, /1e-6/);
    await press(app.stdin, ENTER);
    await waitFor(frame, (s) => s.includes('‹ 0.01 ›'), 'the suggestion applied');
    await press(app.stdin, 'g');
    await waitFor(frame, (s) => s.includes('Search done'), 'the search table');
    assert.match(frame(), /82\.0%/);
    await press(app.stdin, ENTER);
    await waitFor(frame, (s) => s.includes('‹ 2e-3 ›'), 'the best trial applied');
    app.unmount();
  });

  it('fits 80×24 on every screen', async () => {
    const services = fakeServices();
    const app = render(<App services={services} initial={testState({ columns: 80, rows: 24 })} />);
    // ink-testing-library's terminal is 100 columns wide: make it 80.
    const stdout = app.stdout as unknown as NodeJS.EventEmitter & { columns: number };
    Object.defineProperty(stdout, 'columns', { value: 80, configurable: true });
    stdout.emit('resize');
    const frame = () => plain(app.lastFrame() ?? '');
    const check = (f: string, where: string) => {
      // The live area (below the <Static> rows) must fit 24 lines and 80 columns.
      const live = f.slice(f.indexOf('fmnist-tui'));
      const lines = live.split('\n');
      assert.ok(lines.length <= 24, `${where}: ${lines.length} lines\n${live}`);
      for (const l of lines) assert.ok([...l].length <= 80, `${where}: line too wide: ${l}`);
    };
    check(await waitFor(frame, (s) => s.includes('Classes'), 'data'), 'data');
    await press(app.stdin, ENTER);
    check(await waitFor(frame, (s) => s.includes('Parameters'), 'model'), 'model');
    await press(app.stdin, ENTER);
    check(await waitFor(frame, (s) => s.includes('ready to train'), 'hp'), 'hyperparameters');
    // the longest field list: adam + step schedule
    const stdin = app.stdin;
    for (let i = 0; i < 3; i++) await press(stdin, '\x1b[B');
    await press(stdin, '\x1b[C');
    check(frame(), 'hyperparameters (adam)');
    await press(stdin, ENTER);
    check(await waitFor(frame, (s) => s.includes('enter: save'), 'train'), 'train');
    for (const [key, text] of [
      [ENTER, 'enter saves'],
      [ENTER, 'saved'],
      [ENTER, 'exported'],
      [ENTER, 'Verdict'],
    ] as const) {
      await press(stdin, key);
      check(await waitFor(frame, (s) => s.includes(text), text), text);
    }
    app.unmount();
  });

  it('follows a terminal resize', async () => {
    const app = render(<App services={fakeServices()} initial={{ ...testState(), step: 'model' }} />);
    const stdout = app.stdout as unknown as NodeJS.EventEmitter & { columns: number };
    Object.defineProperty(stdout, 'columns', { value: 50, configurable: true });
    stdout.emit('resize');
    await waitFor(
      () => plain(app.lastFrame() ?? ''),
      (s) => s.includes('step 2/7  Model  › Hyperparameters'),
      'the short step bar',
    );
    app.unmount();
  });
});
