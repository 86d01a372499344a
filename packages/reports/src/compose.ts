/**
 * The report's text and tables from its figures — pure, no I/O. A table is declared as catalogue
 * ids (`TABLES`); every cell, unit line, change and sentence comes from @ncms/rules `tellFigure`,
 * the one function that says how a figure is told, so this file keeps no labels, units or
 * comparisons of its own. Problems and suggestions are drafted from the figures that miss their
 * targets or break their limits; the office edits them.
 */
import {
  COUNTY_ONLY_TEXT, FUND_SOURCE, PAYOUT_LEVEL, YEAR_ONLY_MARK, atLeast, atMost, chineseWarnings, dateZh, howTold, indicatorById, largePayoutThresholds,
  tableMoneyUnit, tellFigure, thresholdKey, unitLine, type FigureInput, type MoneyUnit, type ToldFigure,
} from '@ncms/rules';
import type { Row } from '@ncms/warehouse';
import type { ReportData, ReportDating } from './gather.ts';
import { samePeriodLastYear } from './gather.ts';
import { reportDate } from './dates.ts';

export { reportDate };
import type { Block, Cell, CellKind, FigureRef, Report, ReportChart, ReportSection, ReportTable } from './model.ts';

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];

/** `2006` → 2006年度, `2006Q1` → 2006年第一季度, `2006-03` → 2006年3月. */
export function periodLabel(period: string): string {
  const q = /^(\d{4})Q([1-4])$/.exec(period);
  if (q) return `${q[1]}年第${NUMERALS[Number(q[2]) - 1]}季度`;
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  return `${period}年度`;
}

/** The tables of the report as catalogue ids: what each shows, nothing of how. */
export const TABLES = {
  enrolment: ['agricultural_population', 'enrollees', 'households', 'participation_rate', 'subsidized_enrollees', 'subsidized_share', 'renewal_rate', 'new_enrollees', 'dropped_enrollees'],
  /** Sub-units ranked by participation: these columns, then last year's rate and the change. */
  ranking: ['agricultural_population', 'enrollees', 'participation_rate'],
  funding: ['funds_raised', 'per_capita_funding', 'collection_rate_total', 'pooled_funds'],
  /** A township's share of the pool, beside the county's figures. */
  allocated: ['allocated_funds', 'allocated_utilization'],
  payouts: (thresholds: readonly number[]) => [
    'payouts_total', 'pooled_payouts', 'inpatient_stays', 'inpatient_cost', 'inpatient_payout', 'inpatient_actual_ratio', 'inpatient_eligible_ratio', 'avg_inpatient_cost',
    'avg_inpatient_payout', 'avg_length_of_stay', 'outpatient_visits', 'outpatient_payout', 'outpatient_ratio', 'in_county_rate', 'referral_rate', 'beneficiaries',
    'beneficiary_rate', 'drug_share', ...thresholds.map((t) => `large_payouts_${thresholdKey(t)}`), 'large_payouts_at_cap',
  ],
  fund: ['pooled_funds', 'pooled_payouts', 'fund_utilization', 'surplus_rate', 'cumulative_surplus', 'cumulative_surplus_share', 'cumulative_surplus_months', 'projected_year_end', 'family_account_funds', 'family_account_payouts', 'family_account_balance'],
  audit: ['underpaid_count', 'underpaid_amount', 'overpaid_count', 'overpaid_amount', 'non_enrolled_claims_count', 'non_enrolled_claims_amount', 'drug_share_breaches'],
  /** A quarter's or month's facilities: the figures that add up over months. */
  periodFacilities: ['inpatient_stays', 'inpatient_cost', 'inpatient_payout'],
  facilities: ['inpatient_stays', 'inpatient_payout', 'avg_inpatient_cost', 'inpatient_actual_ratio', 'drug_share', 'readmissions_15d', 'drug_share_breach_months'],
  equity: ['township_gini_participation_rate', 'township_gini_payout_per_enrollee', 'township_range_participation_rate_range', 'township_range_participation_rate_ratio', 'township_range_payout_per_enrollee_range', 'concentration_index', 'subsidized_gap', 'catastrophic_rate'],
} as const;

/**
 * Facilities' monthly rows summed by payout level, as the year's `payout_by_level_*` columns: the
 * level is the facility's, non_designated when the registry says it is not designated, unknown
 * when the registry has no level for it (the rule of int_claims_attributed's payout_level).
 */
function byLevel(facilities: readonly Row[]): Row {
  return sumRows(facilities, (f) => (f.facility_level == null ? 'unknown' : f.designated === false ? 'non_designated' : String(f.facility_level)), (level) => ({
    inpatient_stays: `payout_by_level_${level}_stays`, inpatient_payout: `payout_by_level_${level}_payout`,
  }))[0] ?? {};
}

const fenOf = (v: unknown) => BigInt(Math.round(Number(v ?? 0) * 100));
const yuanText = (fen: bigint) => `${fen < 0n ? '-' : ''}${(fen < 0n ? -fen : fen) / 100n}.${String((fen < 0n ? -fen : fen) % 100n).padStart(2, '0')}`;

/**
 * Rows summed by a key, counts as numbers and money exactly (in fen): `into(key)` names the output
 * column of each summed input column. With `perKey`, one row per key (a facility's months); else one row.
 */
function sumRows(input: readonly Row[], keyOf: (r: Row) => string, into: (key: string) => Record<string, string>, perKey = false): Row[] {
  const out = new Map<string, { row: Record<string, unknown>; fen: Map<string, bigint> }>();
  for (const r of input) {
    const key = keyOf(r);
    const slot = perKey ? key : '';
    const keys: Record<string, unknown> = perKey ? { facility_code: r.facility_code, name: r.name, facility_level: r.facility_level, designated: r.designated, in_county: r.in_county } : {};
    const acc = out.get(slot) ?? { row: keys, fen: new Map<string, bigint>() };
    out.set(slot, acc);
    for (const [from, to] of Object.entries(into(key))) {
      if (howTold(from).format === 'money') acc.fen.set(to, (acc.fen.get(to) ?? 0n) + fenOf(r[from]));
      else acc.row[to] = Number(acc.row[to] ?? 0) + Number(r[from] ?? 0);
    }
  }
  return [...out.values()].map(({ row, fen }) => ({ ...row, ...Object.fromEntries([...fen].map(([c, v]) => [c, yuanText(v)])) }) as Row);
}

/** How many units a problem names before "等 N 个". */
const LIST_AT_MOST = 10;

const text = (s: string): Cell => ({ text: s, value: s, kind: 'text' });
const num = (v: unknown): number | null => (v == null || v === '' ? null : Number(v));
/** `参合人数 190,477 人`: the figure without its change. */
const bare = (f: ToldFigure): string => (f.notHere ? f.sentence : `${f.label} ${f.valueText}`);
const cellOf = (c: ToldFigure['cell']): Cell => ({ text: c.text, value: c.value, kind: c.kind, ...(c.moneyUnit ? { moneyUnit: c.moneyUnit } : {}) });

/** What a report is about: the unit's grain and the period, for every figure told. */
interface Frame {
  grain: 'county' | 'township';
  unit: string;
  period: string;
  periodKind: ReportData['periodKind'];
  tables: number;
  charts: number;
  source: string;
}

/** The figure of one column of a row, told for this report (year figures in a period report say 全年). */
function told(fr: Frame, column: string, now: Row | undefined, before: Row | undefined, extra: Partial<FigureInput> = {}): ToldFigure {
  return tellFigure({
    column, value: now?.[column], previous: before?.[column], grain: fr.grain, period: fr.periodKind,
    against: fr.periodKind === 'year' || !howTold(column).monthly ? '上年' : '上年同期', ...extra,
  });
}

const ref = (fr: Frame, column: string, unit: string, grain: FigureRef['grain'], part: FigureRef['part'], period?: string): FigureRef => {
  const p = period ?? (fr.periodKind !== 'year' && howTold(column).monthly ? fr.period : fr.period.slice(0, 4));
  return { column, unit, grain, period: p, prevPeriod: p.length === 4 ? String(Number(p) - 1) : samePeriodLastYear(p), part };
};

/**
 * Indicators down the side: 指标 | 本期 | 上年（同期） | 比上年增减. `now` / `before` are the period's
 * rows for monthly figures and the year's for the rest (`yearNow` / `yearBefore`).
 */
function indicatorTable(frame: Frame, title: string, columns: readonly string[], rows: { now?: Row; before?: Row; yearNow?: Row; yearBefore?: Row }, note?: string): ReportTable {
  // a table of the year's figures (no period rows given) is told as the year's: its title says 全年, its rows need not
  const yearTable = rows.yearNow === undefined && frame.periodKind !== 'year';
  const fr: Frame = yearTable ? Object.assign(Object.create(frame) as Frame, { periodKind: 'year' as const }) : frame;
  const pick = (c: string) => (fr.periodKind !== 'year' && howTold(c).monthly ? [rows.now, rows.before] : [rows.yearNow ?? rows.now, rows.yearBefore ?? rows.before]);
  // a county-only figure stands in a township's table saying so
  const present = columns.filter((c) => (pick(c)[0] && c in pick(c)[0]!) || (howTold(c).countyOnly && fr.grain !== 'county'));
  const money = tableMoneyUnit(present, [present.map((c) => pick(c)[0]?.[c]), present.map((c) => pick(c)[1]?.[c])]);
  const figures = present.map((c) => [c, told(fr, c, pick(c)[0], pick(c)[1], { money })] as const);
  const period = fr.periodKind === 'year';

  return {
    no: ++frame.tables, title: yearTable ? `${title}${YEAR_ONLY_MARK}` : title, unit: unitLine(present, money),
    columns: ['指标', period ? '本年' : '本期', period ? '上年' : '上年同期', period ? '比上年增减' : '比上年同期增减'],
    kinds: ['text', 'money', 'money', 'growth'],
    rows: figures.map(([, f]) => [text(f.label), cellOf(f.cell), cellOf(f.previousCell), cellOf(f.change)]),
    refs: figures.map(([c, f]) => f.notHere ? [null, null, null, null] : [null, ref(fr, c, fr.unit, fr.grain, 'now'), ref(fr, c, fr.unit, fr.grain, 'prev'), ref(fr, c, fr.unit, fr.grain, 'change')]),
    source: fr.source, ...(note ? { note } : {}),
  };
}

function section(i: number, title: string, blocks: Block[]): ReportSection {
  return { heading: `${NUMERALS[i]}、${title}`, blocks };
}

const p = (t: string): Block => ({ kind: 'p', text: t });
const tbl = (t: ReportTable): Block => ({ kind: 'table', table: t });

interface Finding {
  problem: string;
  suggestion: string;
}

/** `A（80.1%）、B（82.0%）` — all of them, or the first `LIST_AT_MOST` and "等 N 个". */
function listed(names: string[], word: string): string {
  if (names.length <= LIST_AT_MOST) return names.join('、');
  return `${names.slice(0, LIST_AT_MOST).join('、')}等 ${names.length} 个${word}`;
}


/** The data note's lines beyond the version: rejected files, quarantined rows by kind, units outside the census. */
function dataNotes(d: ReportData, sub: string): string[] {
  const notes: string[] = [];
  if (d.rejected.length) notes.push(`未载入的文件 ${d.rejected.length} 个：${d.rejected.map((r) => `${r.file}（${r.reason ?? '格式不符'}）`).join('；')}`);
  if (d.quarantined.length) {
    const byKind = new Map<string, { rows: number; parts: string[] }>();
    for (const q of d.quarantined) {
      const k = byKind.get(q.kind) ?? { rows: 0, parts: [] };
      k.rows += q.rows;
      k.parts.push(`${q.column ?? '整行'} ${q.rows.toLocaleString('en-US')} 行`);
      byKind.set(q.kind, k);
    }
    const total = d.quarantined.reduce((s, q) => s + q.rows, 0);
    notes.push(`隔离（未计入）的数据行 ${total.toLocaleString('en-US')} 行：${[...byKind].map(([k, v]) => `${k} ${v.rows.toLocaleString('en-US')} 行（${v.parts.join('，')}）`).join('；')}`);
  }
  if (d.outsideCensus.length) {
    const people = d.outsideCensus.reduce((s, v) => s + v.enrollees, 0);
    notes.push(`不在人口统计中的村：${people.toLocaleString('en-US')} 人（${d.outsideCensus.length} 个村：${d.outsideCensus.map((v) => v.name ?? v.code).join('、')}），计入参合人数，不计入参合率，也不参加${sub}排名`);
  }
  return notes;
}

export function composeReport(d: ReportData, now: Date = new Date(), dating: ReportDating = {}): Report {
  const unitName = String(d.unit?.name ?? (d.township ? d.township : '全县'));
  const countyName = String(d.township ? (d.county?.name ?? '') : unitName);
  const scheme = d.policy?.scheme ?? `${countyName}新型农村合作医疗`;
  const office = d.township ? `${unitName}合作医疗管理站` : `${countyName}合作医疗管理办公室`;
  const subWord = d.township ? '村' : '乡镇';
  const report: Report = {
    title: `${scheme}运行情况报告`,
    subtitle: `（${periodLabel(d.period)}${d.township ? `·${unitName}` : ''}）`,
    office,
    dateZh: dateZh(reportDate(now, dating)),
    period: d.period,
    ...(d.township ? { township: { code: d.township, name: unitName } } : {}),
    sections: [],
    dataVersion: d.version ? { version: d.version.version, asOf: d.version.asOf, batches: d.version.batches.length } : null,
    dataThrough: d.dataThrough ?? null,
    dataNotes: dataNotes(d, subWord),
    sources: [
      '医院信息系统（HIS）结算数据', '新农合基金收支台账', '参合名册',
      d.version?.censusYear ? `${d.version.censusYear}年人口统计（农业人口）` : '人口统计（无）',
      d.version?.policyYear ? `${d.version.policyYear}年度补偿方案` : '补偿方案（未提供）',
    ],
  };
  if (!d.unit || num(d.unit.enrollees) === null) {
    report.empty = `${periodLabel(d.period)}${d.township ? `${unitName}` : ''}尚无数据：请先载入该年度的参合、结算和台账数据（ncms ingest）。`;
    return report;
  }
  const u = d.unit;
  const prev = d.prev;
  const year = d.periodKind === 'year';
  const fr: Frame = {
    grain: d.township ? 'township' : 'county', unit: d.township ?? 'county', period: d.period, periodKind: d.periodKind, tables: 0, charts: 0,
    source: `数据来源：${countyName}新农合数据平台${d.dataThrough ? `，数据截至 ${d.dataThrough}` : ''}。`,
  };
  const yearTitle = (t: string) => (year ? t : `${t}${YEAR_ONLY_MARK}`);
  const targets = d.policy?.targets ?? {};
  const findings: Finding[] = [];
  // prose about the year's figures starts with the year, so they are told as the year's
  const yearFrame: Frame = Object.assign(Object.create(fr) as Frame, { periodKind: 'year' as const });
  const say = (c: string, extra: Partial<FigureInput> = {}) => told(yearFrame, c, u, prev, extra);
  const yearLabel = periodLabel(String(d.year));

  // 一、基本情况
  const rate = num(u.participation_rate);
  const verdict = atLeast(rate, targets.participation_rate);
  const target = targets.participation_rate === undefined ? undefined : tellFigure({ column: 'participation_rate', value: targets.participation_rate });
  // a unit absent from the census has no participation rate and is never ranked: say so instead
  const outside = u.in_census === false;
  const basic: Block[] = [
    p(outside
      ? `${yearLabel}，${unitName}不在人口统计中，${bare(say('enrollees'))}（${say('households').valueText}），不计算参合率，也不参加排名。`
      : `${yearLabel}，${unitName}${bare(say('agricultural_population'))}，${bare(say('enrollees'))}（${say('households').valueText}），${say('participation_rate').sentence}。${target && rate !== null ? `目标 ${target.cell.text}，${verdict.word}。` : ''}`),
    tbl(indicatorTable(fr, `${unitName}参合情况`, TABLES.enrolment, { now: u, before: prev })),
  ];
  if (verdict.status === 'bad' || verdict.status === 'warn')
    findings.push({ problem: `参合率 ${say('participation_rate').cell.text}，未达到 ${target!.cell.text} 的目标，尚差 ${say('gap_to_target').valueText}。`, suggestion: '对未参合农户逐户动员，重点做好外出务工人员和新增人口的参合工作。' });
  const ranked = d.subUnits.filter((r) => num(r.participation_rate) !== null && r.in_census !== false).sort((a, c) => num(c.participation_rate)! - num(a.participation_rate)!);
  if (ranked.length) {
    const before = new Map(d.prevSubUnits.map((r) => [r.division_code, r]));
    const subGrain = d.township ? 'village' : 'township';
    // a sub-unit's figures are told as a township's (the pool's are not in this table)
    const subFrame: Frame = { ...fr, grain: 'township' };
    const rows: Cell[][] = [];
    const refs: (FigureRef | null)[][] = [];
    for (const [i, r] of ranked.entries()) {
      const last = before.get(r.division_code);
      const code = String(r.division_code);
      const v = atLeast(num(r.participation_rate), targets.participation_rate);
      const cols = TABLES.ranking.map((c) => told(subFrame, c, r, last));
      const rateFig = cols.at(-1)!;
      rows.push([{ text: String(i + 1), value: i + 1, kind: 'count' }, text(String(r.name ?? code)), ...cols.map((f) => cellOf(f.cell)), cellOf(rateFig.previousCell), cellOf(rateFig.change), text(v.word || '—')]);
      refs.push([null, null, ...TABLES.ranking.map((c) => ref(fr, c, code, subGrain, 'now')), ref(fr, 'participation_rate', code, subGrain, 'prev'), ref(fr, 'participation_rate', code, subGrain, 'change'), null]);
    }
    const rateHow = howTold('participation_rate');
    basic.push(tbl({
      no: ++fr.tables, title: yearTitle(`各${subWord}参合率排名`), unit: unitLine(TABLES.ranking, '元'),
      columns: ['排名', subWord, ...TABLES.ranking.map((c) => howTold(c).label), `上年${rateHow.label}`, '比上年增减', '对照目标'],
      kinds: ['count', 'text', ...TABLES.ranking.map((c) => howTold(c).format as CellKind), 'rate', 'points', 'text'], rows, refs, source: fr.source,
    }));
    const chartValues = ranked.map((r) => Number((num(r.participation_rate)! * 100).toFixed(1)));
    const chart: ReportChart = {
      no: ++fr.charts, title: yearTitle(`各${subWord}${rateHow.label}`), kind: 'bar', unit: '%',
      categories: ranked.map((r) => String(r.name ?? r.division_code)),
      series: [{ name: rateHow.label, values: chartValues }],
      ...(targets.participation_rate !== undefined ? { target: { label: '目标', value: Number((targets.participation_rate * 100).toFixed(1)) } } : {}),
    };
    basic.push({ kind: 'chart', chart });
    // every unit below its target, worst first
    const behind = ranked.filter((r) => targets.participation_rate !== undefined && num(r.participation_rate)! < targets.participation_rate).reverse();
    if (behind.length)
      findings.push({
        problem: `${behind.length} 个${subWord}参合率低于 ${target!.cell.text} 的目标${behind.length === ranked.length ? `（全部${subWord}）` : ''}，由低到高为：${listed(behind.map((r) => `${r.name ?? r.division_code}（${tellFigure({ column: 'participation_rate', value: r.participation_rate }).cell.text}）`), subWord)}。`,
        suggestion: `对参合率最低的${behind.slice(0, 3).map((r) => r.name ?? r.division_code).join('、')}等${subWord}开展专项督导，落实包村责任。`,
      });
  }
  report.sections.push(section(0, '基本情况', basic));

  // 二、基金筹集 (the pool is the county's: a township report tells the county's figures as such, with its allocated share)
  const funding: Block[] = [];
  if (d.township) {
    const c = d.county;
    const cf = (col: string) => tellFigure({ column: col, value: c?.[col], money: '万元' });
    funding.push(p(`基金实行县级统筹，筹资${COUNTY_ONLY_TEXT}。全县${cf('funds_raised').sentence}，${cf('per_capita_funding').sentence}；按参合人数分摊，${unitName}${say('allocated_funds', { money: '万元' }).sentence}。`));
    const fundTable = indicatorTable(fr, `${unitName}基金分摊`, [...TABLES.funding, ...TABLES.allocated], { now: u, before: prev });
    funding.push(tbl(fundTable));
  } else {
    const sources = [...FUND_SOURCE.codes];
    const familyCols = (s: string) => [`expected_contributions_${s}`, `funds_by_source_${s}`, `collection_rate_${s}`];
    const fundMoney = tableMoneyUnit(sources.flatMap(familyCols), [sources.flatMap(familyCols).map((c) => u[c]), sources.flatMap(familyCols).map((c) => prev?.[c])]);
    const rowOf = (name: string, expected: string | null, got: string, rateCol: string): [Cell[], (FigureRef | null)[]] => {
      const e = expected ? say(expected, { money: fundMoney }) : null;
      const g = say(got, { money: fundMoney });
      const r = say(rateCol);
      return [
        [text(name), e ? cellOf(e.cell) : { text: '—', value: null, kind: 'money' }, cellOf(g.cell), cellOf(r.cell), cellOf(g.previousCell), cellOf(g.change)],
        [null, expected ? ref(fr, expected, 'county', 'county', 'now') : null, ref(fr, got, 'county', 'county', 'now'), ref(fr, rateCol, 'county', 'county', 'now'), ref(fr, got, 'county', 'county', 'prev'), ref(fr, got, 'county', 'county', 'change')],
      ];
    };
    const built = [...sources.map((s) => rowOf(FUND_SOURCE.zh(s), `expected_contributions_${s}`, `funds_by_source_${s}`, `collection_rate_${s}`)), rowOf('合计', null, 'funds_raised', 'collection_rate_total')];
    const funds = say('funds_raised', { money: '万元' });
    const perCapita = say('per_capita_funding');
    const collected = say('collection_rate_total');
    funding.push(p(`${yearLabel}${funds.sentence}；${perCapita.sentence}${collected.cell.value !== null ? `；${collected.label} ${collected.cell.text}` : ''}。`));
    funding.push(tbl({
      no: ++fr.tables, title: yearTitle('基金筹集情况（按来源）'), unit: unitLine([...familyCols('central')], fundMoney),
      columns: ['来源', indicatorById('expected_contributions')!.zh, indicatorById('funds_by_source')!.zh, indicatorById('collection_rate')!.zh, `上年${indicatorById('funds_by_source')!.zh}`, '比上年增减'],
      kinds: ['text', 'money', 'money', 'rate', 'money', 'growth'], rows: built.map((b) => b[0]), refs: built.map((b) => b[1]), source: fr.source,
    }));
    for (const s of sources) {
      const r = num(u[`collection_rate_${s}`]);
      if (r !== null && r < 0.95) findings.push({ problem: `${FUND_SOURCE.zh(s)}${bare(say(`collection_rate_${s}`))}，${say(`collection_gap_${s}`, { money: '万元' }).valueText}未到位。`, suggestion: `督促${FUND_SOURCE.zh(s)}资金及时足额到位。` });
    }
  }
  report.sections.push(section(1, '基金筹集', funding));

  // 三、基金支出与补偿 (monthly figures for the period; the rest of the year's)
  const thresholds = largePayoutThresholds(d.policy);
  const pNow = year ? u : (d.periodRow ?? {});
  const pBefore = year ? prev : d.prevPeriodRow;
  const pf = (c: string, money: MoneyUnit = '万元') => told(fr, c, pNow, pBefore, { money });
  const payouts: Block[] = [
    p(`${periodLabel(d.period)}${pf('payouts_total').sentence}；其中${pf('inpatient_stays').sentence}，${pf('inpatient_payout').sentence}，${pf('inpatient_actual_ratio').sentence}，${pf('inpatient_eligible_ratio').sentence}；${pf('outpatient_visits').sentence}，${pf('outpatient_payout').sentence}。${year ? `${say('in_county_rate').sentence}；${say('beneficiaries').sentence}。` : ''}`),
    tbl(indicatorTable(fr, `${periodLabel(d.period)}基金支出与补偿`, TABLES.payouts(thresholds), { now: pNow, before: pBefore, yearNow: u, yearBefore: prev }, year ? undefined : `标“${YEAR_ONLY_MARK}”的指标只按年度计算。`)),
  ];
  // stays by level: the year's figures, or for a quarter or month the period's facilities summed by level
  const levelRows = year ? { now: u, before: prev } : { now: byLevel(d.periodFacilities ?? []), before: byLevel(d.prevPeriodFacilities ?? []) };
  const levels = [...PAYOUT_LEVEL.codes].filter((l) => num(levelRows.now[`payout_by_level_${l}_stays`]) || num(levelRows.now[`payout_by_level_${l}_payout`]));
  if (levels.length) {
    const cols = (l: string) => [`payout_by_level_${l}_stays`, `payout_by_level_${l}_payout`];
    const lm = tableMoneyUnit(levels.flatMap(cols), [levels.flatMap(cols).map((c) => levelRows.now[c]), levels.flatMap(cols).map((c) => levelRows.before?.[c])]);
    const rows = levels.map((l) => {
      const [st, m] = cols(l).map((c) => tellFigure({ column: c, value: levelRows.now[c], previous: levelRows.before?.[c], grain: fr.grain, money: lm }));
      // the year's cells are the API's figures; a period's are sums of the facilities' months (the proof adds them up)
      const r = (c: string, part: FigureRef['part']) => (year ? ref(fr, c, fr.unit, fr.grain, part) : null);
      return { cells: [text(PAYOUT_LEVEL.zh(l)), cellOf(st!.cell), cellOf(m!.cell), cellOf(m!.previousCell), cellOf(m!.change)], refs: [null, r(cols(l)[0]!, 'now'), r(cols(l)[1]!, 'now'), r(cols(l)[1]!, 'prev'), r(cols(l)[1]!, 'change')] };
    });
    payouts.push(tbl({
      no: ++fr.tables, title: `${periodLabel(d.period)}分级别住院补偿`, unit: unitLine(cols(levels[0]!), lm),
      columns: ['医疗机构级别', howTold('inpatient_stays').label, howTold('inpatient_payout').label, `${year ? '上年' : '上年同期'}${howTold('inpatient_payout').label}`, year ? '比上年增减' : '比上年同期增减'],
      kinds: ['text', 'count', 'money', 'money', 'growth'], source: fr.source, rows: rows.map((r) => r.cells), refs: rows.map((r) => r.refs),
    }));
  }
  const eligible = atLeast(num(u.inpatient_eligible_ratio), targets.inpatient_eligible_ratio);
  if (eligible.status === 'bad') findings.push({ problem: `${yearLabel}${bare(say('inpatient_eligible_ratio'))}，低于 ${tellFigure({ column: 'inpatient_eligible_ratio', value: targets.inpatient_eligible_ratio }).cell.text} 的目标。`, suggestion: '在基金允许的范围内适当提高住院补偿比例或封顶线。' });
  const outpatient = atLeast(num(u.outpatient_ratio), targets.outpatient_ratio);
  if (outpatient.status === 'bad') findings.push({ problem: `${yearLabel}${bare(say('outpatient_ratio'))}，低于 ${tellFigure({ column: 'outpatient_ratio', value: targets.outpatient_ratio }).cell.text} 的目标。`, suggestion: '完善门诊统筹，引导小病在村、乡就医。' });
  report.sections.push(section(2, '基金支出与补偿', payouts));

  // 四、基金运行
  const running: Block[] = [];
  if (!d.township) {
    const warnings = chineseWarnings((u.warnings as string[] | null) ?? []) ?? [];
    running.push(p(`${say('surplus_rate').sentence}；${say('cumulative_surplus', { money: '万元' }).sentence}，${say('cumulative_surplus_share').sentence}。${warnings.length ? `预警：${warnings.join('；')}。` : '基金运行未触发预警。'}`));
    running.push(tbl(indicatorTable(fr, '统筹基金运行', TABLES.fund, { now: u, before: prev })));
    const surplus = atMost(num(u.surplus_rate), targets.max_surplus_rate, 0);
    if (surplus.status === 'bad') findings.push({ problem: `${bare(say('surplus_rate'))}，${surplus.word}。`, suggestion: num(u.surplus_rate)! < 0 ? '加强基金监管，控制不合理费用增长，必要时调整补偿方案。' : '结余偏多，可在下一年度方案中适当提高补偿水平，让参合农民更多受益。' });
    const cumulative = atMost(num(u.cumulative_surplus_share), targets.max_cumulative_surplus_share);
    if (cumulative.status === 'bad') findings.push({ problem: `${bare(say('cumulative_surplus_share'))}，超过 ${tellFigure({ column: 'cumulative_surplus_share', value: targets.max_cumulative_surplus_share }).cell.text} 的控制线。`, suggestion: '制定累计结余使用计划，开展二次补偿或调整方案。' });
  } else {
    running.push(p(`基金在县级统筹，当年结余率、累计结余与预警${COUNTY_ONLY_TEXT}。按参合人数分摊，${unitName}${say('allocated_funds', { money: '万元' }).sentence}，${say('allocated_utilization').sentence}。`));
  }
  report.sections.push(section(3, '基金运行', running));

  // 五、审核发现
  const auditSay = (c: string) => say(c, { money: '元' }).valueText;
  report.sections.push(section(4, '审核发现', [
    p(`按当年补偿方案逐笔复核，${yearLabel}少付 ${auditSay('underpaid_count')}、应补付 ${auditSay('underpaid_amount')}，多付 ${auditSay('overpaid_count')}、应追回 ${auditSay('overpaid_amount')}${d.township ? '' : `，${howTold('non_enrolled_claims_count').label.replace(/（.*$/, '')} ${auditSay('non_enrolled_claims_count')}`}。`),
    tbl(indicatorTable(fr, '审核结果', d.township ? TABLES.audit.filter((c) => !howTold(c).countyOnly) : TABLES.audit, { now: u, before: prev })),
  ]));
  const byOverpaid = d.facilities.filter((f) => (num(f.audit_overpaid_amount) ?? 0) > 0).sort((a, c) => num(c.audit_overpaid_amount)! - num(a.audit_overpaid_amount)!);
  const facilityName = (f: Row) => String(f.name ?? f.facility_code);
  if (num(u.overpaid_count))
    findings.push({
      problem: `审核发现多付 ${auditSay('overpaid_count')}，金额 ${auditSay('overpaid_amount')}${byOverpaid.length ? `；多付最多的是${byOverpaid.slice(0, 3).map((f) => `${facilityName(f)}（${tellFigure({ column: 'audit_overpaid_amount', value: f.audit_overpaid_amount }).valueText}）`).join('、')}` : ''}。`,
      suggestion: `对多付款项限期扣回${byOverpaid.length ? `，首先核查${byOverpaid.slice(0, 3).map(facilityName).join('、')}的结算` : ''}。`,
    });
  if (num(u.underpaid_count)) findings.push({ problem: `少付 ${auditSay('underpaid_count')}，应补付 ${auditSay('underpaid_amount')}。`, suggestion: '及时为少付的参合人员补足补偿款。' });
  if (num(u.non_enrolled_claims_count)) findings.push({ problem: `${howTold('non_enrolled_claims_count').label.replace(/（.*$/, '')} ${auditSay('non_enrolled_claims_count')}，金额 ${auditSay('non_enrolled_claims_amount')}。`, suggestion: '核实身份，追回不应支付的款项，加强就诊时的身份核验。' });
  if (num(u.drug_share_breaches)) {
    const breaching = d.facilities.filter((f) => (num(f.drug_share_breach_months) ?? 0) > 0).sort((a, c) => num(c.drug_share_breach_months)! - num(a.drug_share_breach_months)!);
    const inCounty = breaching.filter((f) => f.in_county === true);
    const outside = breaching.filter((f) => f.in_county !== true);
    findings.push({
      problem: `${howTold('drug_share_breaches').label} ${auditSay('drug_share_breaches')}${breaching.length ? `，涉及${listed(breaching.map((f) => `${facilityName(f)}（${f.drug_share_breach_months} 个月）`), '机构')}` : ''}。`,
      // what a county office can do: its own facilities under the service agreement; outside ones reported upward
      suggestion: `${inCounty.length ? `对${inCounty.slice(0, 3).map(facilityName).join('、')}等县内定点机构加强处方和费用审核，按服务协议处理超标费用` : '加强对定点机构药品费用的审核'}${outside.length ? `；县外机构（${outside.slice(0, 3).map(facilityName).join('、')}）的情况报市级经办机构` : ''}。`,
    });
  }

  let next = 5;
  // 六、医疗机构监管 (facilities where the unit's enrolees stayed): the year's, or the period's months added up
  const withStays = d.facilities.filter((f) => (num(f.inpatient_stays) ?? 0) > 0);
  if (!year && d.periodFacilities) {
    const summed = sumRows(d.periodFacilities, (f) => String(f.facility_code), () => ({ inpatient_stays: 'inpatient_stays', inpatient_cost: 'inpatient_cost', inpatient_payout: 'inpatient_payout' }), true)
      .filter((f) => (num(f.inpatient_stays) ?? 0) > 0);
    const top = summed.sort((a, c) => num(c.inpatient_payout)! - num(a.inpatient_payout)!).slice(0, 15);
    const cols = TABLES.periodFacilities;
    const fm = tableMoneyUnit(cols, top.map((f) => cols.map((c) => f[c])));
    if (top.length)
      report.sections.push(section(next++, '医疗机构监管', [
        p(`${periodLabel(d.period)}${unitName}参合人员在 ${summed.length} 家医疗机构住院，下表为住院补偿最多的 ${top.length} 家（次均费用、药占比等监管指标见全年报告）。`),
        tbl({
          no: ++fr.tables, title: `${periodLabel(d.period)}医疗机构住院补偿`, unit: unitLine(cols, fm), source: fr.source,
          columns: ['医疗机构', ...cols.map((c) => howTold(c).label)],
          kinds: ['text', ...cols.map((c) => howTold(c).format as CellKind)],
          rows: top.map((f) => [text(facilityName(f)), ...cols.map((c) => cellOf(tellFigure({ column: c, value: f[c], money: fm }).cell))]),
          // a month's figures are the API's facility-month figures; a quarter's, three months added up
          refs: top.map((f) => [null, ...cols.map((c) => (d.periodKind === 'month' ? { ...ref(fr, c, String(f.facility_code), 'facility', 'now', d.period), ...(d.township ? { within: d.township } : {}) } : null))]),
        }),
      ]));
  } else if (withStays.length) {
    const top = [...withStays].sort((a, c) => (num(c.inpatient_payout) ?? 0) - (num(a.inpatient_payout) ?? 0)).slice(0, 15);
    const cols = TABLES.facilities.filter((c) => top.some((f) => c in f));
    const fm = tableMoneyUnit(cols, top.map((f) => cols.map((c) => f[c])));
    const facFrame: Frame = { ...fr, grain: 'county', periodKind: 'year' };
    report.sections.push(section(next++, '医疗机构监管', [
      p(`${yearLabel}${unitName}参合人员在 ${withStays.length} 家医疗机构住院，下表为住院补偿最多的 ${top.length} 家。`),
      tbl({
        no: ++fr.tables, title: yearTitle('医疗机构住院补偿与监管指标'), unit: unitLine(cols, fm), source: fr.source,
        columns: ['医疗机构', ...cols.map((c) => howTold(c).label)],
        kinds: ['text', ...cols.map((c) => howTold(c).format as CellKind)],
        rows: top.map((f) => [text(facilityName(f)), ...cols.map((c) => cellOf(told(facFrame, c, f, undefined, { money: fm }).cell))]),
        refs: top.map((f) => [null, ...cols.map((c) => ({ ...ref(fr, c, String(f.facility_code), 'facility', 'now', String(d.year)), ...(d.township ? { within: d.township } : {}) }))]),
      }),
    ]));
  }
  // 七、公平性
  const equityCols = TABLES.equity.filter((c) => num(u[c]) !== null);
  if (equityCols.length) {
    report.sections.push(section(next++, '公平性', [
      p(`参合与受益在各${subWord}、各收入组之间的分布如下（基尼系数、集中指数越接近 0 越均衡；指数和极差列出两年数值，不计增长率）。`),
      tbl(indicatorTable(fr, '公平性指标', equityCols, { now: u, before: prev })),
    ]));
  }
  // 八、存在问题  九、下一步工作建议
  report.sections.push(section(next++, '存在问题', findings.length ? findings.map((f, i) => p(`（${NUMERALS[i] ?? i + 1}）${f.problem}`)) : [p('各项指标均达到目标，未发现需要说明的问题。')]));
  report.sections.push(section(next++, '下一步工作建议', findings.length ? findings.map((f, i) => p(`（${NUMERALS[i] ?? i + 1}）${f.suggestion}`)) : [p('巩固参合成果，继续加强基金监管。')]));
  return report;
}
