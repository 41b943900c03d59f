// Keys that arrive together (tmux send-keys, a paste, a fast repeat) come to useInput as one chunk.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { fakeServices, testState, tick, waitFor } from './fakes.js';

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

async function atHyperparameters() {
  const app = render(<App services={fakeServices()} initial={{ ...testState(), step: 'hyperparameters' }} />);
  const frame = () => plain(app.lastFrame() ?? '');
  await waitFor(frame, (s) => s.includes('ready to train'), 'the hyperparameters step');
  return { app, frame };
}

describe('App: every key of a chunk counts (issue 11 item 2)', () => {
  it("'jjj' moves three fields down, 'kk' two up", async () => {
    const { app, frame } = await atHyperparameters();
    const selected = () => frame().match(/^› (.+?) {2,}/m)?.[1];
    assert.equal(selected(), 'learning rate');
    app.stdin.write('jjj');
    await waitFor(frame, () => selected() === 'optimizer', 'three rows down: optimizer');
    app.stdin.write('kk');
    await waitFor(frame, () => selected() === 'batch size', 'two rows up: batch size');
    app.stdin.write('j');
    await tick();
    app.stdin.write('j');
    await waitFor(frame, () => selected() === 'optimizer', 'one at a time: optimizer');
    app.unmount();
  });

  it("a pasted '0.01⏎' in a field sets it", async () => {
    const { app, frame } = await atHyperparameters();
    app.stdin.write('e');
    await tick();
    app.stdin.write('0.01\r');
    await waitFor(frame, (s) => s.includes('‹ 0.01 ›'), 'the pasted learning rate');
    app.unmount();
  });

  it('43 quick backspaces in one chunk delete 43 characters', async () => {
    const { app, frame } = await atHyperparameters();
    app.stdin.write('e');
    await tick();
    app.stdin.write('x'.repeat(50));
    await tick();
    await waitFor(frame, (f) => f.includes('x'.repeat(50)), 'fifty x typed');
    app.stdin.write('\x7f'.repeat(43));
    await waitFor(frame, (f) => /learning rate +x{7}\b/.test(f), 'seven x left');
    app.unmount();
  });
});

describe('App: nothing lost without asking (issue 11 items 3 and 4)', () => {
  it('q after training asks; Save into a folder holding a run offers o, which overwrites', async () => {
    const services = fakeServices({ existing: ['runs/test'] });
    let code: number | undefined;
    const app = render(
      <App
        services={services}
        initial={{ ...testState({ hyperparameters: undefined }), step: 'hyperparameters' }}
        onExit={(c) => (code = c)}
      />,
    );
    const frame = () => plain(app.lastFrame() ?? '');
    await waitFor(frame, (s) => s.includes('ready to train'), 'the hyperparameters step');
    app.stdin.write('\r');
    await waitFor(frame, (s) => s.includes('training finished'), 'the end of training', 10000);
    app.stdin.write('q');
    await waitFor(frame, (s) => s.includes('not saved') && s.includes('Quit anyway? (y/n)'), 'the question');
    app.stdin.write('n');
    await tick();
    assert.equal(code, undefined);
    app.stdin.write('\r');
    await waitFor(frame, (s) => s.includes('enter saves here'), 'the save step');
    app.stdin.write('\r');
    await waitFor(frame, (s) => s.includes('already holds a saved run') && s.includes('o overwrites it'), 'refusal');
    assert.match(frame(), /o overwrite/);
    app.stdin.write('o');
    await waitFor(frame, (s) => s.includes('saved · enter: export'), 'saved over it');
    assert.ok(services.calls.includes('save runs/test (overwrite)'));
    app.stdin.write('q');
    await waitFor(
      () => String(code),
      (s) => s === '0',
      'q quits at once once saved',
    );
    app.unmount();
  });
});
