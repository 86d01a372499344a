/**
 * Exact decimals for money and rates. Amounts travel as strings of 元 ("1234.50") or
 * numbers as written in a policy; inside, they are BigInt at a fixed scale, so no
 * binary float ever touches a sum.
 */

/** Digits after the decimal point of a number as written (0.25 → 2); NaN for exponent forms. */
export function decimalPlaces(x: number | string): number {
  const s = typeof x === 'number' ? String(x) : x.trim();
  if (!/^-?\d+(\.\d+)?$/.test(s)) return Number.NaN;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** The value × 10^scale as a BigInt; throws when the text has more decimals than the scale. */
export function toScaled(x: number | string, scale: number): bigint {
  const s = typeof x === 'number' ? String(x) : x.trim().replace(/,/g, '');
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal number: "${s}"`);
  const frac = m[3] ?? '';
  if (frac.length > scale) throw new Error(`"${s}" has more than ${scale} decimals`);
  const v = BigInt(m[2]! + frac.padEnd(scale, '0'));
  return m[1] ? -v : v;
}

/** 元 text → integer fen. */
export const fen = (yuan: number | string): bigint => toScaled(yuan, 2);

/** Integer fen → 元 text with two decimals. */
export function yuan(f: bigint): string {
  const neg = f < 0n;
  const a = neg ? -f : f;
  return `${neg ? '-' : ''}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}

/** Divides a non-negative scaled value down to fen, rounding half up. */
export function roundHalfUp(value: bigint, extraScale: number): bigint {
  if (extraScale === 0) return value;
  const d = 10n ** BigInt(extraScale);
  const sign = value < 0n ? -1n : 1n;
  const a = value < 0n ? -value : value;
  return sign * ((a + d / 2n) / d);
}

/** a ÷ b to the nearest integer, halves away from zero (b > 0): the magnitude rounded half up, then signed. */
export function divHalfUp(a: bigint, b: bigint): bigint {
  const m = a < 0n ? -a : a;
  const q = (2n * m + b) / (2n * b);
  return a < 0n ? -q : q;
}

export const minBig = (...xs: bigint[]): bigint => xs.reduce((a, b) => (b < a ? b : a));
export const maxBig = (...xs: bigint[]): bigint => xs.reduce((a, b) => (b > a ? b : a));

/** Orders strings by Unicode code point (as DuckDB orders VARCHAR), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 units order like code points except where a surrogate meets U+E000–U+FFFF.
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    const cx = a.codePointAt(i)!;
    const cy = b.codePointAt(i)!;
    return cx < cy ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
