/**
 * Python's format spec `{x:>W.Pf}` for the seed's prints: fixed-point with P digits,
 * right-aligned in W. Python rounds the exact binary value half-to-even; JS's toFixed
 * rounds exact ties up (0.125 → "0.13" vs Python's "0.12"), so ties are resolved here.
 */
export function formatFixed(x: number, precision = 6, width = 0): string {
  let s: string;
  if (Number.isNaN(x)) s = 'nan';
  else if (!Number.isFinite(x)) s = x > 0 ? 'inf' : '-inf';
  else if (Math.abs(x) >= 1e21)
    s = BigInt(Math.round(x)).toString() + (precision > 0 ? '.' + '0'.repeat(precision) : '');
  else s = roundHalfEven(x, precision);
  return s.padStart(width);
}

function roundHalfEven(x: number, precision: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const abs = Math.abs(x);
  const exact = abs.toFixed(100); // exact for doubles with ≤ 100 fractional digits: enough to see a tie
  const dot = exact.indexOf('.');
  if (/^50*$/.test(exact.slice(dot + 1 + precision))) {
    // An exact tie: Python keeps an even last digit; otherwise toFixed's round-up is right.
    const kept = precision > 0 ? exact.slice(0, dot + 1 + precision) : exact.slice(0, dot);
    if (Number(kept.at(-1)) % 2 === 0) return sign + kept;
  }
  return sign + abs.toFixed(precision);
}

/** Python's `{n:>Wd}`. */
export function formatInt(n: number, width = 0): string {
  return String(Math.trunc(n)).padStart(width);
}
