// Issue 11 item 12: TERM=dumb gets one line pointing to the subcommands, not cursor movement.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { it } from 'node:test';
import { UserError } from '../../src/core/errors.js';
import { runTui } from '../../src/ui/run-tui.js';

it('TERM=dumb: refused in one line naming the subcommands, exit 2, nothing drawn', async () => {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
  await assert.rejects(
    runTui([], { stdout, stderr: new PassThrough(), env: { TERM: 'dumb', LANG: 'C.UTF-8' }, debug: false }),
    (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /TERM=dumb.*fmnist-tui data \| train \| tune/);
      assert.ok(!err.message.includes('\n'));
      return true;
    },
  );
  assert.equal(stdout.read(), null);
});
