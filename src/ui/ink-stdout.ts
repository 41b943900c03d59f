// The stream Ink draws on, with two of Ink 6.8's resize reactions taken away (use-terminal-size.ts
// does the resize instead):
// - Ink redraws on 'resize' at once, erasing as many lines as its last frame had; the terminal has
//   just re-wrapped that frame into more lines, so the top of it (the step bar) stayed behind.
// - When its last frame was as tall as the terminal (every shrink below it), Ink clears the terminal
//   *and its scrollback* (\e[3J) and prints the whole epoch log again.
// So Ink does not hear 'resize', and sees a terminal too tall to fill (the screens fit the real one).
const TERMINAL = Symbol('the real terminal stream');

export function inkStdout<T extends NodeJS.WriteStream>(stream: T): T {
  const proxy: T = new Proxy(stream, {
    get(target, prop) {
      if (prop === TERMINAL) return target;
      if (prop === 'rows') return Number.MAX_SAFE_INTEGER;
      if (prop === 'on' || prop === 'addListener' || prop === 'off' || prop === 'removeListener')
        return (event: string, listener: (...a: unknown[]) => void) => {
          if (event !== 'resize') (target[prop] as (e: string, l: (...a: unknown[]) => void) => void)(event, listener);
          return proxy;
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return proxy;
}

/** The terminal behind a stream made by inkStdout (or the stream itself). */
export function terminalOf<T extends NodeJS.WriteStream>(stream: T): T {
  return ((stream as unknown as Record<symbol, T>)[TERMINAL] ?? stream) as T;
}
