import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { RESIZE_SETTLE_MS, useTerminalSize } from '../../src/ui/hooks/use-terminal-size.js';
import type { Action } from '../../src/ui/reducer.js';

describe('useTerminalSize on a real terminal', () => {
  it('lays out for the new size first, then clears and reprints the <Static> rows (Ink then counts its lines right)', async () => {
    const order: string[] = [];
    const dispatch = (a: Action) => order.push(a.type);
    function Probe() {
      useTerminalSize(dispatch, () => 'epoch rows\n');
      return <Text>live</Text>;
    }
    const app = render(<Probe />);
    const stdout = app.stdout as unknown as NodeJS.EventEmitter & { write: (s: string) => boolean };
    Object.defineProperty(stdout, 'isTTY', { value: true, configurable: true });
    const write = stdout.write.bind(stdout);
    stdout.write = (s: string) => {
      if (s.includes('\x1b[2J')) order.push('clear');
      else if (s.includes('epoch rows')) order.push('reprint');
      return write(s);
    };
    stdout.emit('resize');
    stdout.emit('resize'); // debounced: one relayout
    await new Promise((r) => setTimeout(r, 3 * RESIZE_SETTLE_MS));
    assert.deepEqual(order, ['resize', 'clear', 'reprint']);
    app.unmount();
  });
});
