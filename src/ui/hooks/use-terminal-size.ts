import { useEffect } from 'react';
import { useStdout } from 'ink';
import type { Action } from '../reducer.js';

/** Clear the screen and home the cursor (not the scrollback: the person's history stays). */
const CLEAR_SCREEN = '\x1b[2J\x1b[H';
/** Longer than one frame at 10 fps. */
export const RESIZE_SETTLE_MS = 150;

/**
 * Follows the terminal's size. The terminal re-wraps what is on screen when it is resized, so
 * Ink's count of the lines it drew no longer matches and stale lines would stay behind: on a
 * real terminal the screen is cleared, the <Static> rows are printed again (rendered to a string)
 * and the live area is redrawn below them.
 */
export function useTerminalSize(dispatch: (a: Action) => void, staticText: () => string): void {
  const { stdout, write } = useStdout();
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    // Debounced past Ink's own (throttled) redraw at the new size, so nothing lands after the clear.
    const redraw = () => {
      timer = undefined;
      // The <Static> rows are gone with the clear: print them again as they were.
      if (stdout.isTTY) {
        stdout.write(CLEAR_SCREEN);
        // Through Ink, so it knows its live area now sits below these lines.
        write(staticText());
      }
      dispatch({ type: 'resize', columns: stdout.columns || 80, rows: stdout.rows || 24 });
    };
    const onResize = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(redraw, RESIZE_SETTLE_MS);
    };
    stdout.on('resize', onResize);
    return () => {
      if (timer) clearTimeout(timer);
      stdout.off('resize', onResize);
    };
  }, [stdout, write, dispatch, staticText]);
}
