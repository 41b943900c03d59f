// The flag sections of `train --help`, written from TRAIN_FLAGS' usage and help lines.
import type { FlagGroup } from './flag-spec.js';
import { flagSpec, trainFlagsWhere } from './flag-lookup.js';

const GROUP_TITLES: Record<FlagGroup, string> = { model: 'Model', hyperparameters: 'Hyperparameters', run: 'Run' };
const USAGE_WIDTH = 25;

/** The flag sections of `train --help`, built from TRAIN_FLAGS. */
export function trainFlagHelp(): string {
  const sections = (Object.keys(GROUP_TITLES) as FlagGroup[]).map((group) => {
    const rows = trainFlagsWhere((s) => s.group === group && s.usage !== undefined).flatMap((name) => {
      const s = flagSpec(name);
      const [first = '', ...rest] = s.help ?? [];
      return [
        `  ${s.usage!.padEnd(USAGE_WIDTH)}${first}`,
        ...rest.map((line) => `${' '.repeat(USAGE_WIDTH + 2)}${line}`),
        ...(s.more ?? []),
      ];
    });
    return [GROUP_TITLES[group], ...rows].join('\n');
  });
  return sections.join('\n\n');
}
