// Pure text formatting shared by the CLI, the session and the reports: one copy of each.

/**
 * A learning rate, short and exact enough to type back: 1e-3 → "1e-3", 0.05 → "0.05",
 * 1.2e-4 → "1.2e-4" (six significant digits at most, so a printed `--lr` reproduces the run).
 */
export function formatLearningRate(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  if (Math.abs(x) >= 0.01 && Math.abs(x) < 1000) return String(Number(x.toPrecision(6)));
  const [m, e] = x.toExponential().split('e');
  return `${Number(Number(m).toPrecision(6))}e${Number(e)}`;
}

/** ['a'] → "a", ['a', 'b'] → "a and b", ['a', 'b', 'c'] → "a, b and c" (`last` replaces "and"). */
export function formatList(items: readonly string[], last = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/** 60000 → "60,000": counts of images, parameters, steps. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 1 → "1 epoch", 3 → "3 epochs", 60000 → "60,000 images" (`plural` for irregular words). */
export function countOf(count: number, word: string, plural = `${word}s`): string {
  return `${formatCount(count)} ${count === 1 ? word : plural}`;
}
