/**
 * The report's text and tables from its figures — pure, no I/O. Every figure is a catalogue
 * column (labels and units from @ncms/rules), printed by the one formatter the pages use, with
 * last year's figure and the change beside it (增幅). Problems and suggestions are drafted from
 * the figures that miss their targets or break their limits; the office edits them.
 */
import {
  FUND_SOURCE, PAYOUT_LEVEL, atLeast, atMost, chineseHeader, chineseWarnings, columnUnit, count, dateZh, growth, largePayoutThresholds,
  isPerHeadMoney, money, moneyUnitFor, percent, points, ratio, thresholdKey, type MoneyUnit,
} from '@ncms/rules';
import type { Row } from '@ncms/warehouse';
import type { ReportData } from './gather.ts';
import type { Block, Cell, CellKind, Report, ReportChart, ReportSection, ReportTable } from './model.ts';

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** `2006` → 2006年度, `2006Q1` → 2006年第一季度, `2006-03` → 2006年3月. */
export function periodLabel(period: string): string {
  const q = /^(\d{4})Q([1-4])$/.exec(period);
  if (q) return `${q[1]}年第${NUMERALS[Number(q[2]) - 1]}季度`;
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  return `${period}年度`;
}

const num = (v: unknown): number | null => (v == null || v === '' ? null : Number(v));
const text = (s: string): Cell => ({ text: s, value: s, kind: 'text' });
const empty = (kind: CellKind): Cell => ({ text: '—', value: null, kind });

/** A catalogue column's value as a cell; money in the table's unit. */
function cellOf(column: string, v: unknown, moneyUnit: MoneyUnit): Cell {
  const unit = columnUnit(column) ?? 'count';
  if (v == null || v === '') return empty(unit === 'yuan' ? 'money' : unit === 'rate' ? 'rate' : 'count');
  if (unit === 'yuan') {
    const s = String(v);
    return { text: money(s, moneyUnit), value: moneyUnit === '万元' ? Number(money(s, '万元').replaceAll(',', '')) : Number(s), kind: 'money' };
  }
  if (unit === 'rate') return { text: percent(Number(v)), value: Number(v), kind: 'rate' };
  if (unit === 'ratio') return { text: ratio(Number(v)), value: Number(v), kind: 'decimal' };
  if (unit === 'days' || unit === 'months') return { text: Number(v).toFixed(1), value: Number(v), kind: 'decimal' };
  return { text: count(Number(v)), value: Number(v), kind: 'count' };
}

/** The change from last year: rates in percentage points, everything else as growth. */
function changeCell(column: string, now: unknown, before: unknown): Cell {
  const a = num(now);
  const b = num(before);
  if (a === null || b === null) return empty('growth');
  if (columnUnit(column) === 'rate') return { text: points(a - b), value: a - b, kind: 'points' };
  if (b === 0) return empty('growth');
  return { text: growth(a, b), value: a / b - 1, kind: 'growth' };
}

interface TableBuilder {
  tables: number;
  charts: number;
  source: string;
}

/** Indicators down the side: 指标 | 本期 | 上年同期 | 增幅. */
function indicatorRows(b: TableBuilder, title: string, columns: string[], now: Row | undefined, before: Row | undefined, note?: string): ReportTable {
  const present = columns.filter((c) => now && c in now);
  const totals = present.filter((c) => columnUnit(c) === 'yuan' && !isPerHeadMoney(c));
  const moneyUnit = moneyUnitFor(totals.flatMap((c) => [now?.[c], before?.[c]].map((v) => (v == null ? null : String(v)))));
  const unitOfRow = (c: string): MoneyUnit => (isPerHeadMoney(c) ? '元' : moneyUnit);
  const rows = present.map((c) => [text(chineseHeader(c)), cellOf(c, now?.[c], unitOfRow(c)), cellOf(c, before?.[c], unitOfRow(c)), changeCell(c, now?.[c], before?.[c])]);
  const perHead = moneyUnit === '万元' && present.some((c) => columnUnit(c) === 'yuan' && isPerHeadMoney(c));
  return {
    no: ++b.tables, title, unit: `单位：${[
      ...(present.some((c) => columnUnit(c) === 'yuan') ? [`${moneyUnit}${perHead ? '（次均、人均为元）' : ''}`] : []),
      '人、人次',
      ...(present.some((c) => columnUnit(c) === 'rate') ? ['%'] : []),
    ].join('、')}`, columns: ['指标', '本期', '上年同期', '增幅'],
    kinds: ['text', 'money', 'money', 'growth'], rows, source: b.source, ...(note ? { note } : {}),
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

export function composeReport(d: ReportData, now: Date = new Date()): Report {
  const unitName = String(d.unit?.name ?? (d.township ? d.township : '全县'));
  const countyName = d.township ? '' : unitName;
  const scheme = d.policy?.scheme ?? `${countyName}新型农村合作医疗`;
  const office = d.township ? `${unitName}合作医疗管理站` : `${countyName}合作医疗管理办公室`;
  const report: Report = {
    title: `${scheme}运行情况报告`,
    subtitle: `（${periodLabel(d.period)}${d.township ? `·${unitName}` : ''}）`,
    office,
    dateZh: dateZh(now.toISOString().slice(0, 10)),
    period: d.period,
    ...(d.township ? { township: { code: d.township, name: unitName } } : {}),
    sections: [],
    dataVersion: d.version ? { version: d.version.version, asOf: d.version.asOf, batches: d.version.batches.length } : null,
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
  const b: TableBuilder = { tables: 0, charts: 0, source: `数据来源：${countyName || unitName}新农合数据平台，数据截至 ${d.version?.asOf ?? '—'}。` };
  const targets = d.policy?.targets ?? {};
  const findings: Finding[] = [];
  const subWord = d.township ? '村' : '乡镇';
  const yoy = (c: string) => (prev && prev[c] != null ? `，比上年${changeCell(c, u[c], prev[c]).text.replace(/^\+/, '提高 ').replace(/^-/, '降低 ')}` : '');

  // 一、基本情况
  const rate = num(u.participation_rate);
  const verdict = atLeast(rate, targets.participation_rate);
  const basic: Block[] = [
    p(`${periodLabel(d.year.toString())}，${unitName}农业人口 ${count(num(u.agricultural_population))} 人，参合 ${count(num(u.enrollees))} 人（${count(num(u.households))} 户），参合率 ${percent(rate)}${yoy('participation_rate')}。${targets.participation_rate !== undefined ? `目标 ${percent(targets.participation_rate)}，${verdict.word}。` : ''}`),
    tbl(indicatorRows(b, `${unitName}参合情况`, ['agricultural_population', 'enrollees', 'households', 'participation_rate', 'subsidized_enrollees', 'subsidized_share', 'renewal_rate', 'new_enrollees', 'dropped_enrollees'], u, prev)),
  ];
  if (verdict.status === 'bad' || verdict.status === 'warn')
    findings.push({ problem: `参合率 ${percent(rate)}，未达到 ${percent(targets.participation_rate)} 的目标，尚差 ${count(num(u.gap_to_target))} 人。`, suggestion: `对未参合农户逐户动员，重点做好外出务工人员和新增人口的参合工作。` });
  if (d.subUnits.length) {
    const ranked = d.subUnits.filter((r) => num(r.participation_rate) !== null).sort((a, c) => (num(c.participation_rate) ?? -1) - (num(a.participation_rate) ?? -1));
    const before = new Map(d.prevSubUnits.map((r) => [r.division_code, r]));
    const rows = ranked.map((r, i) => {
      const last = before.get(r.division_code);
      const v = atLeast(num(r.participation_rate), targets.participation_rate);
      return [
        { text: String(i + 1), value: i + 1, kind: 'count' as const }, text(String(r.name ?? r.division_code)),
        cellOf('agricultural_population', r.agricultural_population, '元'), cellOf('enrollees', r.enrollees, '元'),
        cellOf('participation_rate', r.participation_rate, '元'), cellOf('participation_rate', last?.participation_rate, '元'),
        changeCell('participation_rate', r.participation_rate, last?.participation_rate), text(v.word || '—'),
      ];
    });
    basic.push(tbl({
      no: ++b.tables, title: `各${subWord}参合率排名`, unit: '单位：人、%',
      columns: ['排名', subWord, '农业人口', '参合人数', '参合率', '上年参合率', '增减', '对照目标'],
      kinds: ['count', 'text', 'count', 'count', 'rate', 'rate', 'points', 'text'], rows, source: b.source,
    }));
    const chart: ReportChart = {
      no: ++b.charts, title: `各${subWord}参合率`, kind: 'bar', unit: '%',
      categories: ranked.map((r) => String(r.name ?? r.division_code)),
      series: [{ name: '参合率', values: ranked.map((r) => (num(r.participation_rate) === null ? null : Number((num(r.participation_rate)! * 100).toFixed(1)))) }],
      ...(targets.participation_rate !== undefined ? { target: { label: '目标', value: Number((targets.participation_rate * 100).toFixed(1)) } } : {}),
    };
    basic.push({ kind: 'chart', chart });
    const behind = ranked.filter((r) => atLeast(num(r.participation_rate), targets.participation_rate).status === 'bad');
    if (behind.length)
      findings.push({ problem: `${behind.length} 个${subWord}参合率低于目标：${behind.slice(0, 8).map((r) => `${r.name}（${percent(num(r.participation_rate))}）`).join('、')}${behind.length > 8 ? '等' : ''}。`, suggestion: `对参合率偏低的${subWord}开展专项督导，落实包村责任。` });
  }
  report.sections.push(section(0, '基本情况', basic));

  // 二、基金筹集
  const sources = [...FUND_SOURCE.codes];
  const fundMoney = moneyUnitFor(sources.flatMap((s) => [u[`funds_by_source_${s}`], u[`expected_contributions_${s}`]]).map((v) => (v == null ? null : String(v))));
  const fundRows = sources.map((s) => [
    text(FUND_SOURCE.zh(s)), cellOf(`expected_contributions_${s}`, u[`expected_contributions_${s}`], fundMoney), cellOf(`funds_by_source_${s}`, u[`funds_by_source_${s}`], fundMoney),
    cellOf(`collection_rate_${s}`, u[`collection_rate_${s}`], fundMoney), cellOf(`funds_by_source_${s}`, prev?.[`funds_by_source_${s}`], fundMoney),
    changeCell(`funds_by_source_${s}`, u[`funds_by_source_${s}`], prev?.[`funds_by_source_${s}`]),
  ]);
  fundRows.push([text('合计'), empty('money'), cellOf('funds_raised', u.funds_raised, fundMoney), cellOf('collection_rate_total', u.collection_rate_total, fundMoney), cellOf('funds_raised', prev?.funds_raised, fundMoney), changeCell('funds_raised', u.funds_raised, prev?.funds_raised)]);
  report.sections.push(section(1, '基金筹集', [
    p(`${periodLabel(d.year.toString())}共筹集资金 ${money(String(u.funds_raised ?? '0'), '万元')} 万元，人均筹资 ${money(String(u.per_capita_funding ?? '0'))} 元${yoy('funds_raised')}${num(u.collection_rate_total) !== null ? `，资金到位率 ${percent(num(u.collection_rate_total))}` : ''}。`),
    tbl({ no: ++b.tables, title: '基金筹集情况（按来源）', unit: `单位：${fundMoney}、%`, columns: ['来源', '应筹', '实筹', '到位率', '上年实筹', '增幅'], kinds: ['text', 'money', 'money', 'rate', 'money', 'growth'], rows: fundRows, source: b.source }),
  ]));
  for (const s of sources) {
    const r = num(u[`collection_rate_${s}`]);
    if (r !== null && r < 0.95) findings.push({ problem: `${FUND_SOURCE.zh(s)}到位率 ${percent(r)}，尚有 ${money(String(u[`collection_gap_${s}`] ?? '0'), '万元')} 万元未到位。`, suggestion: `督促${FUND_SOURCE.zh(s)}资金及时足额到位。` });
  }

  // 三、基金支出与补偿
  const thresholds = largePayoutThresholds(d.policy);
  const payoutCols = ['payouts_total', 'inpatient_stays', 'inpatient_cost', 'inpatient_payout', 'inpatient_actual_ratio', 'inpatient_eligible_ratio', 'avg_inpatient_cost', 'avg_inpatient_payout', 'avg_length_of_stay', 'outpatient_visits', 'outpatient_payout', 'outpatient_ratio', 'in_county_rate', 'referral_rate', 'beneficiaries', 'beneficiary_rate', 'drug_share', ...thresholds.map((t) => `large_payouts_${thresholdKey(t)}`), 'large_payouts_at_cap'];
  const pNow = d.periodKind === 'year' ? u : (d.periodRow ?? {});
  const pBefore = d.periodKind === 'year' ? prev : d.prevPeriodRow;
  const payouts: Block[] = [
    p(`${periodLabel(d.period)}共补偿 ${money(String(pNow.payouts_total ?? '0'), '万元')} 万元，其中住院 ${count(num(pNow.inpatient_stays))} 人次、补偿 ${money(String(pNow.inpatient_payout ?? '0'), '万元')} 万元，住院实际补偿比 ${percent(num(pNow.inpatient_actual_ratio))}，可报费用补偿比 ${percent(num(pNow.inpatient_eligible_ratio))}；门诊 ${count(num(pNow.outpatient_visits))} 人次、补偿 ${money(String(pNow.outpatient_payout ?? '0'), '万元')} 万元。${d.periodKind === 'year' ? `县内就诊率 ${percent(num(u.in_county_rate))}，受益 ${count(num(u.beneficiaries))} 人。` : ''}`),
    tbl(indicatorRows(b, `${periodLabel(d.period)}基金支出与补偿`, payoutCols, pNow, pBefore, d.periodKind === 'year' ? undefined : '季度、月度只有补偿类指标；参合、筹资与基金运行为全年数据。')),
  ];
  const levels = [...PAYOUT_LEVEL.codes].filter((l) => num(u[`payout_by_level_${l}_stays`]) || num(u[`payout_by_level_${l}_payout`]));
  if (levels.length) {
    const lm = moneyUnitFor(levels.map((l) => (u[`payout_by_level_${l}_payout`] == null ? null : String(u[`payout_by_level_${l}_payout`]))));
    payouts.push(tbl({
      no: ++b.tables, title: '分级别住院补偿', unit: `单位：人次、${lm}`, columns: ['医疗机构级别', '住院人次', '补偿金额', '上年补偿金额', '增幅'], kinds: ['text', 'count', 'money', 'money', 'growth'], source: b.source,
      rows: levels.map((l) => [text(PAYOUT_LEVEL.zh(l)), cellOf(`payout_by_level_${l}_stays`, u[`payout_by_level_${l}_stays`], lm), cellOf(`payout_by_level_${l}_payout`, u[`payout_by_level_${l}_payout`], lm), cellOf(`payout_by_level_${l}_payout`, prev?.[`payout_by_level_${l}_payout`], lm), changeCell(`payout_by_level_${l}_payout`, u[`payout_by_level_${l}_payout`], prev?.[`payout_by_level_${l}_payout`])]),
    }));
  }
  const eligible = atLeast(num(u.inpatient_eligible_ratio), targets.inpatient_eligible_ratio);
  if (eligible.status === 'bad') findings.push({ problem: `住院可报费用补偿比 ${percent(num(u.inpatient_eligible_ratio))}，低于 ${percent(targets.inpatient_eligible_ratio)} 的目标。`, suggestion: '在基金允许的范围内适当提高住院补偿比例或封顶线。' });
  const outpatient = atLeast(num(u.outpatient_ratio), targets.outpatient_ratio);
  if (outpatient.status === 'bad') findings.push({ problem: `门诊补偿比 ${percent(num(u.outpatient_ratio))}，低于 ${percent(targets.outpatient_ratio)} 的目标。`, suggestion: '完善门诊统筹，引导小病在村、乡就医。' });
  report.sections.push(section(2, '基金支出与补偿', payouts));

  // 四、基金运行
  const running: Block[] = [];
  if (!d.township) {
    running.push(tbl(indicatorRows(b, '统筹基金运行', ['pooled_funds', 'pooled_payouts', 'fund_utilization', 'surplus_rate', 'cumulative_surplus', 'cumulative_surplus_share', 'cumulative_surplus_months', 'projected_year_end', 'family_account_funds', 'family_account_payouts', 'family_account_balance'], u, prev)));
    const warnings = chineseWarnings((u.warnings as string[] | null) ?? []) ?? [];
    running.unshift(p(`统筹基金当年结余率 ${percent(num(u.surplus_rate))}，累计结余 ${money(String(u.cumulative_surplus ?? '0'), '万元')} 万元，占当年统筹基金的 ${percent(num(u.cumulative_surplus_share))}。${warnings.length ? `预警：${warnings.join('；')}。` : '基金运行未触发预警。'}`));
    const surplus = atMost(num(u.surplus_rate), targets.max_surplus_rate, 0);
    if (surplus.status === 'bad') findings.push({ problem: `统筹基金当年结余率 ${percent(num(u.surplus_rate))}，${surplus.word}。`, suggestion: num(u.surplus_rate)! < 0 ? '加强基金监管，控制不合理费用增长，必要时调整补偿方案。' : '结余偏多，可在下一年度方案中适当提高补偿水平，让参合农民更多受益。' });
    const cumulative = atMost(num(u.cumulative_surplus_share), targets.max_cumulative_surplus_share);
    if (cumulative.status === 'bad') findings.push({ problem: `累计结余占当年统筹基金 ${percent(num(u.cumulative_surplus_share))}，超过 ${percent(targets.max_cumulative_surplus_share)} 的控制线。`, suggestion: '制定累计结余使用计划，开展二次补偿或调整方案。' });
  } else {
    running.push(p(`基金在县级统筹。按参合人数分摊，${unitName}分摊统筹基金 ${money(String(u.allocated_funds ?? '0'), '万元')} 万元，使用率 ${percent(num(u.allocated_utilization))}。`));
  }
  report.sections.push(section(3, '基金运行', running));

  // 五、审核发现
  const auditCols = ['underpaid_count', 'underpaid_amount', 'overpaid_count', 'overpaid_amount', 'non_enrolled_claims_count', 'non_enrolled_claims_amount', 'drug_share_breaches'];
  report.sections.push(section(4, '审核发现', [
    p(`按当年补偿方案逐笔复核，少付 ${count(num(u.underpaid_count))} 笔、应补付 ${money(String(u.underpaid_amount ?? '0'))} 元，多付 ${count(num(u.overpaid_count))} 笔、应追回 ${money(String(u.overpaid_amount ?? '0'))} 元，非参合人员报销 ${count(num(u.non_enrolled_claims_count))} 笔。`),
    tbl(indicatorRows(b, '审核结果', auditCols, u, prev)),
  ]));
  if (num(u.overpaid_count)) findings.push({ problem: `审核发现多付 ${count(num(u.overpaid_count))} 笔，金额 ${money(String(u.overpaid_amount))} 元。`, suggestion: '对多付款项限期追回，并核查相关定点机构的结算流程。' });
  if (num(u.underpaid_count)) findings.push({ problem: `少付 ${count(num(u.underpaid_count))} 笔，应补付 ${money(String(u.underpaid_amount))} 元。`, suggestion: '及时为少付的参合人员补足补偿款。' });
  if (num(u.non_enrolled_claims_count)) findings.push({ problem: `非参合人员报销 ${count(num(u.non_enrolled_claims_count))} 笔。`, suggestion: '核实身份，追回不应支付的款项，加强就诊时的身份核验。' });
  if (num(u.drug_share_breaches)) findings.push({ problem: `定点机构药占比超过控制线 ${count(num(u.drug_share_breaches))} 个机构月。`, suggestion: '约谈药占比超标的定点机构，落实基本药物目录。' });

  let next = 5;
  // 六、医疗机构监管
  if (d.facilities.length) {
    const top = [...d.facilities].sort((a, c) => (num(c.inpatient_payout) ?? 0) - (num(a.inpatient_payout) ?? 0)).slice(0, 15);
    const fm = moneyUnitFor(top.map((r) => (r.inpatient_payout == null ? null : String(r.inpatient_payout))));
    report.sections.push(section(next++, '医疗机构监管', [
      p(`${d.facilities.length} 家医疗机构收治了参合人员，下表为住院补偿最多的 ${top.length} 家。`),
      tbl({
        no: ++b.tables, title: '医疗机构住院补偿与监管指标', unit: `单位：人次、${fm}、元、%`, source: b.source,
        columns: ['医疗机构', '住院人次', '住院补偿', '次均费用', '实际补偿比', '药占比', '15日再入院', '药占比超标月数'],
        kinds: ['text', 'count', 'money', 'money', 'rate', 'rate', 'count', 'count'],
        rows: top.map((r) => [text(String(r.name ?? r.facility_code)), cellOf('inpatient_stays', r.inpatient_stays, fm), cellOf('inpatient_payout', r.inpatient_payout, fm), cellOf('avg_inpatient_cost', r.avg_inpatient_cost, '元'), cellOf('inpatient_actual_ratio', r.inpatient_actual_ratio, fm), cellOf('drug_share', r.drug_share, fm), cellOf('readmissions_15d', r.readmissions_15d, fm), cellOf('drug_share_breach_months', r.drug_share_breach_months, fm)]),
      }),
    ]));
  }
  // 七、公平性
  const equityCols = ['township_gini_participation_rate', 'township_gini_payout_per_enrollee', 'concentration_index', 'subsidized_gap', 'catastrophic_rate'];
  if (equityCols.some((c) => num(u[c]) !== null)) {
    report.sections.push(section(next++, '公平性', [
      p('参合与受益在各乡镇、各收入组之间的分布如下（基尼系数、集中指数越接近 0 越均衡）。'),
      tbl(indicatorRows(b, '公平性指标', equityCols, u, prev)),
    ]));
  }
  // 八、存在问题  九、下一步工作建议
  report.sections.push(section(next++, '存在问题', findings.length ? findings.map((f, i) => p(`（${NUMERALS[i] ?? i + 1}）${f.problem}`)) : [p('各项指标均达到目标，未发现需要说明的问题。')]));
  report.sections.push(section(next++, '下一步工作建议', findings.length ? findings.map((f, i) => p(`（${NUMERALS[i] ?? i + 1}）${f.suggestion}`)) : [p('巩固参合成果，继续加强基金监管。')]));
  return report;
}
