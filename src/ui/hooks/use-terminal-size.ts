import { useStdout } from 'ink';
import { useEffect } from 'react';
import { terminalOf } from '../ink-stdout.js';
import type { Action } from '../reducer.js';

/**
 * Clear the visible screen without pushing it into the scrollback: line 1, then from line 2 down.
 * (A clear from the top-left, \e[2J or \e[H\e[J, makes tmux and others scroll the screen into the
 * history: every resize added a copy of the epoch log there.)
 */
export const CLEAR_VISIBLE = '\x1b[H\x1b[2K\x1b[2;1H\x1b[J\x1b[H';
/** Longer than one frame at 10 fps. */
export const RESIZE_SETTLE_MS = 150;

/** The last `count` lines of `text` (which ends in a newline). */
export function lastLines(text: string, count: number): string {
  if (count <= 0) return '';
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.length <= count ? text : `${lines.slice(-count).join('\n')}\n`;
}

/**
 * Follows the terminal's size. The terminal re-wraps what is on screen when it is resized, so Ink's
 * count of the lines it drew no longer matches and stale lines would stay behind (Ink itself does
 * not hear the resize: ink-stdout.ts). So the new size goes to the reducer first (the app lays
 * itself out for it), and a frame later the visible screen is cleared and the part of the <Static>
 * log that was on it is printed again, with the live area below: what had scrolled into the history
 * stays there, once.
 */
export function useTerminalSize(
  dispatch: (a: Action) => void,
  staticText: () => string,
  liveHeight: () => number = () => 0,
): void {
  const { stdout: inkOut, write } = useStdout();
  useEffect(() => {
    const stdout = terminalOf(inkOut);
    let timer: NodeJS.Timeout | undefined;
    // Through Ink, so it knows its live area now sits below these lines.
    const reprint = () => {
      timer = undefined;
      stdout.write(CLEAR_VISIBLE);
      write(lastLines(staticText(), (stdout.rows || 24) - liveHeight() - 1));
    };
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
  }, [inkOut, write, dispatch, staticText, liveHeight]);
}
