// Colours by role; with NO_COLOR every role is undefined and Ink prints plain text.
export interface Theme {
  readonly accent?: string;
  readonly good?: string;
  readonly bad?: string;
  readonly warn?: string;
  readonly muted?: string;
  readonly raw?: string;
  readonly smooth?: string;
}

const COLORS: Theme = {
  accent: 'cyan',
  good: 'green',
  bad: 'red',
  warn: 'yellow',
  muted: 'gray',
  raw: 'gray',
  smooth: 'magenta',
};
const PLAIN: Theme = {};

export function themeFor(color: boolean): Theme {
  return color ? COLORS : PLAIN;
}
