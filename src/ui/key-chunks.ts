// Ink 6.8 hands useInput a run of keys that arrive together (a paste, tmux send-keys, fast repeats)
// as one `input` string: "jjj", "0.01\r", "\x7f\x7f\x7f". Its parser already cuts escape sequences
// (arrows, esc) into their own events, so a chunk is plain characters and control bytes: split it
// into one key press each, so that every key counts.
import type { KeyPress } from './keys.js';

export interface SplitKey {
  readonly input: string;
  readonly key: KeyPress;
}

const SPECIAL: Record<string, KeyPress> = {
  '\r': { return: true },
  '\n': { return: true },
  '\t': { tab: true },
  '\b': { backspace: true },
  '\x7f': { delete: true },
  '\x1b': { escape: true },
};

/** One key press per character of a chunk; a single key (or one Ink already named) comes back as it is. */
export function splitKeys(input: string, key: KeyPress): SplitKey[] {
  const chars = [...input];
  const named = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.return || key.escape || key.tab;
  if (chars.length <= 1 || named || key.ctrl || input.startsWith('\x1b')) return [{ input, key }];
  return chars.map((ch) => {
    const special = SPECIAL[ch];
    if (special) return { input: '', key: special };
    const code = ch.codePointAt(0) ?? 0;
    // Ctrl+A … Ctrl+Z arrive as bytes 1–26; Ink names them by their letter.
    if (code >= 1 && code <= 26) return { input: String.fromCharCode(code + 96), key: { ctrl: true } };
    return { input: ch, key: {} };
  });
}
