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
 *
 * The order matters. Until the app lays itself out for the new size, a shrunk terminal is shorter
 * than the live area, and Ink 6.8 redraws such frames whole; its first frame back at a fitting
 * height then miscounts by one line, and its next <Static> row erases the row above it. So the
 * new size goes to the reducer first, and the screen is cleared and reprinted a frame later, after
 * that frame: the reprint leaves Ink's count right.
 */
export function useTerminalSize(dispatch: (a: Action) => void, staticText: () => string): void {
  const { stdout, write } = useStdout();
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    // Through Ink, so it knows its live area now sits below these lines.
    const reprint = () => {
      timer = undefined;
      stdout.write(CLEAR_SCREEN);
      write(staticText());
    };
    // Debounced past Ink's own (throttled) redraw at the new size, so nothing lands after the clear.
    const relayout = () => {
      dispatch({ type: 'resize', columns: stdout.columns || 80, rows: stdout.rows || 24 });
      timer = stdout.isTTY ? setTimeout(reprint, RESIZE_SETTLE_MS) : undefined;
    };
    const onResize = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(relayout, RESIZE_SETTLE_MS);
    };
    stdout.on('resize', onResize);
    return () => {
      if (timer) clearTimeout(timer);
      stdout.off('resize', onResize);
    };
  }, [stdout, write, dispatch, staticText]);
}
