import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { CLEAR_VISIBLE, RESIZE_SETTLE_MS, lastLines, useTerminalSize } from '../../src/ui/hooks/use-terminal-size.js';
import { inkStdout, terminalOf } from '../../src/ui/ink-stdout.js';
import type { Action } from '../../src/ui/reducer.js';

describe('useTerminalSize on a real terminal (issue 11 item 11)', () => {
  it('lays out for the new size first, then clears the visible screen (not into the history) and reprints only the log lines that were on it', async () => {
    const order: string[] = [];
    const dispatch = (a: Action) => order.push(a.type);
    const log = `${Array.from({ length: 30 }, (_, i) => `epoch row ${i + 1}`).join('\n')}\n`;
    function Probe() {
      useTerminalSize(
        dispatch,
        () => log,
        () => 5,
      );
      return <Text>live</Text>;
    }
    const app = render(<Probe />);
    const stdout = app.stdout as unknown as NodeJS.EventEmitter & { write: (s: string) => boolean; rows: number };
    Object.defineProperty(stdout, 'isTTY', { value: true, configurable: true });
    Object.defineProperty(stdout, 'rows', { value: 20, configurable: true });
    const written: string[] = [];
    const write = stdout.write.bind(stdout);
    stdout.write = (s: string) => {
      written.push(s);
      if (s === CLEAR_VISIBLE) order.push('clear');
      else if (s.includes('epoch row')) order.push('reprint');
      return write(s);
    };
    stdout.emit('resize');
    stdout.emit('resize'); // debounced: one relayout
    // Two settle times, then room for a loaded machine.
    for (let t = 0; t < 40 && order.length < 3; t++) await new Promise((r) => setTimeout(r, RESIZE_SETTLE_MS));
    assert.deepEqual(order, ['resize', 'clear', 'reprint']);
    const reprinted = written.find((s) => s.includes('epoch row')) ?? '';
    assert.doesNotMatch(reprinted, /epoch row 16\n/, 'rows above the screen stay in the history, once');
    assert.match(reprinted, /epoch row 17\n[\s\S]*epoch row 30\n/, '20 rows − 5 live − 1 = the last 14');
    assert.ok(!written.some((s) => s.includes('\x1b[2J') || s.includes('\x1b[3J')), 'nothing clears into the history');
    app.unmount();
  });
  it('lastLines', () => {
    assert.equal(lastLines('a\nb\nc\n', 2), 'b\nc\n');
    assert.equal(lastLines('a\nb\n', 5), 'a\nb\n');
    assert.equal(lastLines('a\n', 0), '');
  });
});

describe('inkStdout', () => {
  it('Ink does not hear resize and sees a terminal too tall to fill (else it clears the scrollback)', () => {
    const real = Object.assign(new PassThrough(), {
      rows: 20,
      columns: 60,
      isTTY: true,
    }) as unknown as NodeJS.WriteStream;
    const ink = inkStdout(real);
    let heard = false;
    ink.on('resize', () => (heard = true));
    real.emit('resize');
    assert.equal(heard, false);
    assert.ok(ink.rows > 1e6);
    assert.equal(ink.columns, 60);
    assert.equal(terminalOf(ink), real);
    assert.equal(terminalOf(real), real);
  });
});
