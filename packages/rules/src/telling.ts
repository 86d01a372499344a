/**
 * How a figure is told (spec/indicators.md, "How a figure is told"): the catalogue's reading half.
 * Beside each entry's formula (indicators.ts) this says its format, the kind of change it is told
 * with against a previous period, which way is good, where it applies and whether it exists per
 * month and quarter; `tellFigure` turns (column, value, previous value, grain, period) into the
 * table cell, the change cell and the sentence fragment. Reports, pages and exports read it, so
 * no one writes a label, unit or comparison of their own.
 */
import { isPerHeadMoney, money, type MoneyUnit } from './format.ts';
import { columnByName, unitOf, type Unit } from './indicators.ts';
import { chineseHeader } from './labels.ts';
import type { Grain } from './vocabulary.ts';

/** How a value is printed: money (元/万元, two decimals), counts whole, rates `85.3%`, points `+2.1 个百分点`, ratios two decimals, indices three. */
export type FigureFormat = 'money' | 'count' | 'rate' | 'points' | 'ratio' | 'index' | 'days' | 'months' | 'flag' | 'codes';
/** Against a previous period: growth in %, a difference in percentage points, both values, or nothing. */
export type ChangeKind = 'growth' | 'points' | 'both' | 'none';
/** Whether up is good, down is good, or neither (arrows and colours only where known). */
export type Direction = 'up' | 'down' | 'neither';
export type PeriodKindOf = 'year' | 'quarter' | 'month';

export interface HowTold {
  column: string;
  /** The catalogue's Chinese name (`分来源筹资（中央补助）` for a family key). */
  label: string;
  format: FigureFormat;
  /** The word after a number in prose and in a table's unit line: 人, 户, 人次, 笔, 天, 个月, %, 元 (money: the table's). */
  unitWord: string;
  change: ChangeKind;
  direction: Direction;
  /** The pool's figures: at a township or village told as `COUNTY_ONLY_TEXT`, never 0. */
  countyOnly: boolean;
  /** Exists per month and quarter; otherwise a period report labels it 全年. */
  monthly: boolean;
  /** Money per head or per stay: always in 元. */
  perHead: boolean;
}

/** What a county-only figure says at a township or village. */
export const COUNTY_ONLY_TEXT = '全县统筹，不在乡镇核算';
/** What a year-only figure's label gets in a period report. */
export const YEAR_ONLY_MARK = '（全年）';

interface Override {
  format?: FigureFormat;
  change?: ChangeKind;
  direction?: Direction;
  unitWord?: string;
}

/**
 * Where an entry is told otherwise than its unit says (the catalogue's unit gives the rest: money
 * and counts as growth, rates in points, ratios as both values). Keys are ids, or a family column.
 */
const TOLD: Readonly<Record<string, Override>> = {
  participation_rate: { direction: 'up' },
  gap_to_target: { change: 'both', direction: 'down' },
  collection_rate: { direction: 'up' },
  collection_gap: { direction: 'down' },
  inpatient_actual_ratio: { direction: 'up' },
  inpatient_eligible_ratio: { direction: 'up' },
  outpatient_ratio: { direction: 'up' },
  beneficiary_rate: { direction: 'up' },
  in_county_rate: { direction: 'up' },
  renewal_rate: { direction: 'up' },
  drug_share: { direction: 'down' },
  underpaid: { direction: 'down' },
  overpaid: { direction: 'down' },
  non_enrolled_claims: { direction: 'down' },
  audit_underpaid: { direction: 'down' },
  audit_overpaid: { direction: 'down' },
  // a count of units (facility-months), told as both values
  drug_share_breaches: { change: 'both', direction: 'down', unitWord: '个机构月' },
  drug_share_breach_months: { change: 'both', direction: 'down', unitWord: '个月' },
  readmissions_15d: { direction: 'down', unitWord: '人次' },
  out_of_catalogue_share: { direction: 'down' },
  catastrophic_rate: { direction: 'down' },
  township_gini: { format: 'index', change: 'both', direction: 'down' },
  concentration_index: { format: 'index', change: 'both', direction: 'neither' },
  // a range of rates is itself a difference in points; ranges and max ÷ min are told as both values
  township_range_participation_rate_range: { format: 'points', change: 'both', direction: 'down', unitWord: '个百分点' },
  township_range_participation_rate_ratio: { change: 'both', direction: 'down' },
  township_range_payout_per_enrollee_range: { change: 'both', direction: 'down' },
  township_range_payout_per_enrollee_ratio: { change: 'both', direction: 'down' },
  // a difference of two rates
  subsidized_gap: { format: 'points', unitWord: '个百分点' },
  stays_per_person: { direction: 'down' },
  warnings: { change: 'none' },
};

const FORMAT_OF_UNIT: Record<Unit, FigureFormat> = {
  yuan: 'money', people: 'count', households: 'count', count: 'count', rate: 'rate', ratio: 'ratio', days: 'days', months: 'months', flag: 'flag', codes: 'codes',
};
const CHANGE_OF_FORMAT: Record<FigureFormat, ChangeKind> = {
  money: 'growth', count: 'growth', days: 'growth', months: 'growth', rate: 'points', points: 'points', ratio: 'both', index: 'both', flag: 'none', codes: 'none',
};

function countWord(unit: Unit, column: string): string {
  if (unit === 'people') return '人';
  if (unit === 'households') return '户';
  if (/stays|visits/.test(column)) return '人次';
  if (/claims|_count$/.test(column)) return '笔';
  return '';
}

const WORD_OF_FORMAT: Partial<Record<FigureFormat, string>> = { rate: '%', points: '个百分点', days: '天', months: '个月' };

/** How a catalogue column is told; throws for a column the catalogue does not hold (a typo in a report's declaration). */
export function howTold(column: string): HowTold {
  const c = columnByName(column);
  if (!c) throw new Error(`指标目录中没有 ${column} (not a catalogue column)`);
  const unit = unitOf(c.indicator, c.key);
  const o = { ...TOLD[c.indicator.id], ...TOLD[column] };
  const format = o.format ?? FORMAT_OF_UNIT[unit];
  return {
    column,
    label: chineseHeader(column),
    format,
    unitWord: o.unitWord ?? (format === 'count' ? countWord(unit, column) : format === 'money' ? '元' : (WORD_OF_FORMAT[format] ?? '')),
    change: o.change ?? CHANGE_OF_FORMAT[format],
    direction: o.direction ?? 'neither',
    countyOnly: !!c.indicator.countyOnly,
    monthly: !!c.indicator.monthly,
    perHead: format === 'money' && isPerHeadMoney(column),
  };
}

/** How a cell is stored and formatted in a spreadsheet. */
export type FigureKind = 'text' | 'money' | 'count' | 'rate' | 'points' | 'ratio' | 'index' | 'days' | 'growth';

export interface FigureCell {
  /** As printed (`1,234.56`, `85.3%`, `+5.2 个百分点`, `由 0.002 升至 0.004`, `—`). */
  text: string;
  /**
   * As stored in a spreadsheet: money in 元 to the fen (`moneyUnit` says how it is displayed),
   * rates as fractions; a change as printed (growth a fraction to 0.1 %, points to 0.1 point);
   * null when the text says it all.
   */
  value: number | null;
  kind: FigureKind;
  /** Money: the unit it is printed in. */
  moneyUnit?: MoneyUnit;
}

export interface FigureInput {
  column: string;
  value: unknown;
  /** The previous period's value (last year, or the same period last year). */
  previous?: unknown;
  /** The unit's grain (default county). */
  grain?: Grain;
  /** The report's or page's period (default year). */
  period?: PeriodKindOf;
  /** The money unit of the table (per-head money is always 元). */
  money?: MoneyUnit;
  /** What the previous value is, in prose: `上年` (default), `上年同期`. */
  against?: string;
}

export interface ToldFigure {
  how: HowTold;
  /** The label as it stands in this period (`（全年）` added to a year-only figure in a period report). */
  label: string;
  cell: FigureCell;
  previousCell: FigureCell;
  change: FigureCell;
  /** `50.10 元` — the value with its unit word, for prose; `—` when empty. */
  valueText: string;
  /** `比上年增长 66.7%`, `由 0.002 升至 0.004`; empty when there is nothing to compare. */
  changeText: string;
  /** `人均筹资 50.10 元，比上年增长 66.7%`. */
  sentence: string;
  /** Not computed at this grain (county-only at a township). */
  notHere: boolean;
  /** A year figure in a quarter or month report. */
  yearOnly: boolean;
}

const DASH = '—';
const empty = (kind: FigureKind): FigureCell => ({ text: DASH, value: null, kind });
const toNumber = (v: unknown): number | null => (v == null || v === '' || (typeof v === 'number' && !Number.isFinite(v)) ? null : Number(v));

/** Tenths of a number half away from zero, as an integer (85.34 → 853), so `-0.0` never appears. */
const tenths = (x: number) => Math.sign(x) * Math.round(Math.abs(x) * 10 + 1e-9);
const oneDecimal = (t: number) => `${t < 0 ? '-' : ''}${Math.floor(Math.abs(t) / 10)}.${Math.abs(t) % 10}`;
const signed = (t: number) => (t > 0 ? `+${oneDecimal(t)}` : oneDecimal(t));

function valueCell(how: HowTold, v: unknown, unit: MoneyUnit): FigureCell {
  const n = toNumber(v);
  if (how.format === 'codes') return { text: Array.isArray(v) && v.length ? v.join('、') : DASH, value: null, kind: 'text' };
  if (how.format === 'flag') return { text: v == null ? DASH : v === true || v === 'true' ? '是' : '否', value: null, kind: 'text' };
  if (n === null) return empty(how.format === 'months' ? 'days' : how.format);
  switch (how.format) {
    case 'money':
      return { text: money(String(v), unit), value: n, kind: 'money', moneyUnit: unit };
    case 'rate':
      return { text: `${oneDecimal(tenths(n * 100))}%`, value: n, kind: 'rate' };
    case 'points':
      return { text: `${how.column === 'township_range_participation_rate_range' ? oneDecimal(tenths(n * 100)) : signed(tenths(n * 100))} 个百分点`, value: n * 100, kind: 'points' };
    case 'ratio':
      return { text: n.toFixed(2), value: n, kind: 'ratio' };
    case 'index':
      return { text: n.toFixed(3), value: n, kind: 'index' };
    case 'days':
    case 'months':
      return { text: n.toFixed(1), value: n, kind: 'days' };
    default:
      return { text: Math.round(n).toLocaleString('en-US'), value: n, kind: 'count' };
  }
}

const withWord = (how: HowTold, c: FigureCell): string =>
  c.text === DASH ? DASH : how.format === 'rate' || how.format === 'points' ? c.text : `${c.text}${how.format === 'money' ? ` ${c.moneyUnit}` : how.unitWord ? ` ${how.unitWord}` : ''}`;

/** The change cell and its sentence, by the entry's kind of change (spec: "Change against a previous period"). */
function changeOf(how: HowTold, now: FigureCell, before: FigureCell, a: number | null, b: number | null, against: string): { cell: FigureCell; text: string } {
  if (how.change === 'none' || a === null || b === null) return { cell: empty('text'), text: '' };
  const signFlip = (a > 0 && b < 0) || (a < 0 && b > 0);
  const both = (): { cell: FigureCell; text: string } => {
    const [from, to] = [withWord(how, before), withWord(how, now)];
    const same = before.text === now.text;
    const verb = a > b ? '升至' : '降至';
    const flip = signFlip ? `，${a > 0 ? '由负转正' : '由正转负'}` : '';
    const t = same ? `与${against}持平（${to}）` : `由 ${from} ${verb} ${to}${flip}`;
    return { cell: { text: same ? `持平（${now.text}）` : `由 ${before.text} ${verb} ${now.text}${flip}`, value: null, kind: 'text' }, text: t };
  };
  if (how.change === 'both') return both();
  if (how.change === 'points') {
    // in tenths of a point: from the unrounded values, and from the printed (rounded) ones
    const exact = tenths((a - b) * 100);
    const printed = tenths(a * 100) - tenths(b * 100);
    const about = exact === printed ? '' : '约';
    if (exact === 0) return { cell: { text: `${about}持平`, value: 0, kind: 'points' }, text: `${about}持平` };
    return {
      cell: { text: `${about}${signed(exact)} 个百分点`, value: exact / 10, kind: 'points' },
      text: `${about}${exact > 0 ? '提高' : '降低'} ${oneDecimal(Math.abs(exact))} 个百分点`,
    };
  }
  // growth: nothing against 0; a change of sign is told as such, with both values, and so is a
  // change between two negative figures (a deficit), whose "growth" would read the wrong way
  if (b === 0) return { cell: empty('growth'), text: '' };
  if (signFlip || a < 0 || b < 0) return both();
  const g = a / b - 1;
  const t = tenths(g * 100);
  if (t === 0) return { cell: { text: '持平', value: 0, kind: 'growth' }, text: '持平' };
  return { cell: { text: `${t > 0 ? '+' : '-'}${oneDecimal(Math.abs(t))}%`, value: t / 1000, kind: 'growth' }, text: `${t > 0 ? '增长' : '下降'} ${oneDecimal(Math.abs(t))}%` };
}

/** One figure told: its cell, last period's cell, the change and the sentence (the one function pages, reports and exports use). */
export function tellFigure(input: FigureInput): ToldFigure {
  const how = howTold(input.column);
  const grain = input.grain ?? 'county';
  const period = input.period ?? 'year';
  const notHere = how.countyOnly && (grain === 'township' || grain === 'village');
  const yearOnly = period !== 'year' && !how.monthly;
  const label = `${how.label}${yearOnly ? YEAR_ONLY_MARK : ''}`;
  if (notHere) {
    const cell: FigureCell = { text: COUNTY_ONLY_TEXT, value: null, kind: 'text' };
    return { how, label, cell, previousCell: cell, change: empty('text'), valueText: COUNTY_ONLY_TEXT, changeText: '', sentence: `${label}${COUNTY_ONLY_TEXT}`, notHere, yearOnly };
  }
  const unit: MoneyUnit = how.perHead ? '元' : (input.money ?? '元');
  const cell = valueCell(how, input.value, unit);
  const previousCell = valueCell(how, input.previous, unit);
  const a = how.format === 'flag' || how.format === 'codes' ? null : toNumber(input.value);
  const b = how.format === 'flag' || how.format === 'codes' ? null : toNumber(input.previous);
  const against = input.against ?? '上年';
  const ch = changeOf(how, cell, previousCell, a, b, against);
  const valueText = withWord(how, cell);
  const changeText =
    ch.text === '' ? '' : ch.text.startsWith('由') || ch.text.startsWith('与') ? ch.text : ch.text.endsWith('持平') ? `${ch.text.replace('持平', '')}与${against}持平` : `比${against}${ch.text}`;
  return {
    how, label, cell, previousCell, change: ch.cell, valueText, changeText,
    sentence: changeText.startsWith('由') ? `${label}${changeText}` : `${label} ${valueText}${changeText ? `，${changeText}` : ''}`,
    notHere, yearOnly,
  };
}

/**
 * The unit line of a table over these columns (`单位：万元（人均、次均为元）、人、人次、%`), from the
 * words its figures are told with, in order of first appearance; the money unit is the table's.
 */
export function unitLine(columns: readonly string[], moneyUnit: MoneyUnit): string {
  const words: string[] = [];
  const add = (w: string) => w && !words.includes(w) && words.push(w);
  const hows = columns.map(howTold);
  const perHead = hows.some((h) => h.perHead);
  const totals = hows.some((h) => h.format === 'money' && !h.perHead);
  if (totals) add(perHead && moneyUnit === '万元' ? '万元（人均、次均为元）' : moneyUnit);
  else if (perHead) add('元');
  for (const h of hows) if (h.format !== 'money' && h.format !== 'ratio' && h.format !== 'index' && h.format !== 'flag' && h.format !== 'codes') add(h.unitWord);
  return words.length ? `单位：${words.join('、')}` : '';
}

/** The money unit of a table: 万元 once any total (not per head) reaches 10,000 元. */
export function tableMoneyUnit(columns: readonly string[], values: readonly unknown[][]): MoneyUnit {
  const totals = columns.map((c, i) => [howTold(c), i] as const).filter(([h]) => h.format === 'money' && !h.perHead);
  return totals.some(([, i]) => values.some((row) => {
    const v = toNumber(row[i]);
    return v !== null && Math.abs(v) >= 10000;
  })) ? '万元' : '元';
}
