import { useEffect } from 'react';
import { useStdout } from 'ink';
import type { Action } from '../reducer.js';

/** Follows the terminal's size (Ink re-lays out on resize; the screens need the numbers). */
export function useTerminalSize(dispatch: (a: Action) => void): void {
  const { stdout } = useStdout();
  useEffect(() => {
    const onResize = () => dispatch({ type: 'resize', columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, dispatch]);
}
