/**
 * Numbers as a county office writes them (../shared/design.md): money below 10,000 元 as
 * `8,432.00 元`, from 10,000 元 up as `123.45 万元` (exact: money arrives as text and is divided
 * on integers, never through a float); rates as `85.3%`; differences of rates in 个百分点;
 * counts with separators and their unit; an empty value as `—`. One formatter, keyed by the
 * catalogue's unit, for cards, tables, charts and exports.
 */
import { decimalPlaces, roundHalfUp, toScaled, yuan } from './decimal.ts';
import type { Unit } from './indicators.ts';

export type MoneyUnit = '元' | '万元';

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A non-negative or negative integer of hundredths as `1,234.56`. */
function hundredths(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? '-' : ''}${group((a / 100n).toString())}.${(a % 100n).toString().padStart(2, '0')}`;
}

/** The money unit a column or card should use: 万元 once any value reaches 10,000 元. */
export function moneyUnitFor(values: readonly (string | null | undefined)[]): MoneyUnit {
  return values.some((v) => v != null && v !== '' && toScaled(v.replace(/^-/, ''), 2) >= 1_000_000n) ? '万元' : '元';
}

/** Money text ("1234.50") in 元 or 万元 with two decimals, half up, without the unit. */
export function money(value: string | null | undefined, unit: MoneyUnit = '元'): string {
  if (value == null || value === '') return '—';
  const fen = toScaled(value, 2);
  return hundredths(unit === '元' ? fen : roundHalfUp(fen, 4));
}

/** Money with its unit, choosing 万元 from 10,000 元 up: `8,432.00 元`, `123.45 万元`. */
export function moneyWithUnit(value: string | null | undefined): string {
  if (value == null || value === '') return '—';
  const unit = moneyUnitFor([value]);
  return `${money(value, unit)} ${unit}`;
}

/** A rate (a fraction) as a percentage with one decimal: 0.8532 → `85.3%`. */
export function percent(rate: number | null | undefined, digits = 1): string {
  if (rate == null || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(digits)}%`;
}

/**
 * A ratio or index as a plain number: three decimals below 1 (基尼系数 0.045, 集中指数 −0.012),
 * two from 1 up (人次人头比 1.25, 极值比 1.19).
 */
export function ratio(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '—';
  return v.toFixed(Math.abs(v) < 1 ? 3 : 2);
}

/** A difference of two rates in percentage points: `+2.1 个百分点`. */
export function points(diff: number | null | undefined): string {
  if (diff == null || !Number.isFinite(diff)) return '—';
  const v = (diff * 100).toFixed(1);
  return `${diff > 0 ? '+' : ''}${v === '-0.0' ? '0.0' : v} 个百分点`;
}

/** Growth of a figure against last year's: `增长 12.4%`, `下降 3.0%`, `持平`. */
export function growth(now: number | null | undefined, before: number | null | undefined): string {
  if (now == null || before == null || !Number.isFinite(now) || !Number.isFinite(before) || before === 0) return '—';
  const g = now / before - 1;
  const text = `${Math.abs(g * 100).toFixed(1)}%`;
  return text === '0.0%' ? '持平' : g > 0 ? `增长 ${text}` : `下降 ${text}`;
}

/** A count with thousands separators. */
export function count(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return '—';
  return group(String(Math.round(n)));
}

/** The unit word of a count by what is counted. */
export function countUnit(unit: Unit, column = ''): string {
  if (unit === 'people') return '人';
  if (unit === 'households') return '户';
  if (unit === 'days') return '天';
  if (/stays|visits/.test(column)) return '人次';
  if (/claims/.test(column)) return '笔';
  return '';
}

/** `2005-03-05` → `2005年3月5日` (prose and documents; tables keep the ISO form). */
export function dateZh(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : '—';
}

/** Any catalogue value as shown in a table cell of a column with a known unit. */
export function formatValue(value: unknown, unit: Unit, opts: { money?: MoneyUnit; column?: string } = {}): string {
  if (value == null || value === '') return '—';
  switch (unit) {
    case 'yuan':
      return money(String(value), opts.money ?? '元');
    case 'rate':
      return percent(Number(value));
    case 'days':
    case 'months':
      return Number(value).toFixed(1);
    case 'ratio':
      return ratio(Number(value));
    case 'flag':
      return value === true || value === 'true' ? '是' : '否';
    case 'codes':
      return Array.isArray(value) ? value.join('、') || '—' : String(value);
    default:
      return count(Number(value));
  }
}

/** A value from a row as a number for arithmetic and verdicts (money text included); null stays null. */
export function num(v: unknown): number | null {
  return v == null ? null : Number(v);
}

/** Money text in 万元 as a number for a chart axis (display only; tables keep the exact text). */
export function wan(v: unknown): number | null {
  return v == null ? null : Number((Number(v) / 10000).toFixed(2));
}

/** Money per stay, per person or per capita: always in 元 (a 万元 figure of 0.23 says nothing). */
export function isPerHeadMoney(column: string): boolean {
  return /^(avg_|per_capita_|payout_per_)/.test(column);
}

/**
 * A catalogue value as a spreadsheet cell Excel reads as a number (`--labels zh` CSV): rates as
 * `70.8%` (a percentage Excel keeps as 0.708), money with two decimals and no separators (exact,
 * half up to the fen), counts whole, days and months with one decimal, ratios as `ratio` writes
 * them; an empty value stays an empty cell. Yes/no and codes are words, not numbers: left as they are.
 */
export function sheetCell(value: unknown, unit: Unit): unknown {
  if (value == null || value === '' || unit === 'flag' || unit === 'codes') return value;
  if (unit === 'yuan') {
    const text = String(value);
    const places = decimalPlaces(text);
    if (Number.isNaN(places)) return value;
    return yuan(places > 2 ? roundHalfUp(toScaled(text, places), places - 2) : toScaled(text, 2));
  }
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  switch (unit) {
    case 'rate':
      return percent(n);
    case 'days':
    case 'months':
      return n.toFixed(1);
    case 'ratio':
      return ratio(n);
    default:
      return String(Math.round(n));
  }
}
