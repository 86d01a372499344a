/**
 * The report's wording from hand-made figures (pure: no database): the errors one by one —
 * a township's pool, growth per capita, every unit below target worst first, indices as both
 * values, the date in the county's time zone, the data note.
 */
import { describe, expect, it } from 'vitest';
import type { Row } from '@ncms/warehouse';
import { composeReport, reportDate } from './compose.ts';
import { disclosureBodyHtml } from './render/disclosure.ts';
import { chartSvg } from './render/chart-svg.ts';
import type { ReportData } from './gather.ts';
import type { Report } from './model.ts';

const TARGET = 0.95;
/** 13 townships, all below the 95 % target: rates 0.80, 0.81, … 0.92 (the lowest is 乡01). */
const townships: Row[] = Array.from({ length: 13 }, (_, i) => ({
  division_code: `4105231${String(i).padStart(2, '0')}`, name: `乡${String(i + 1).padStart(2, '0')}`, participation_rate: 0.8 + i / 100,
  agricultural_population: 1000, enrollees: 800 + i * 10, in_census: true,
}));

function data(over: Partial<ReportData> = {}): ReportData {
  return {
    year: 2006, period: '2006', periodKind: 'year',
    unit: { name: '示例县', enrollees: 190477, agricultural_population: 210000, households: 50000, participation_rate: 0.866, funds_raised: '9543456.78', per_capita_funding: '50.10', concentration_index: 0.0041 },
    prev: { enrollees: 180000, participation_rate: 0.83, funds_raised: '5361492.13', per_capita_funding: '30.06', concentration_index: 0.0017 },
    subUnits: townships, prevSubUnits: [], facilities: [], rejected: [], quarantined: [], outsideCensus: [],
    policy: { targets: { participation_rate: TARGET } } as unknown as ReportData['policy'],
    ...over,
  };
}

const paragraphs = (r: Report) => r.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'p' ? [b.text] : [])));
const table = (r: Report, title: RegExp) => r.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'table' && title.test(b.table.title) ? [b.table] : [])))[0]!;

describe('composeReport', () => {
  it('counts every township below its target and lists the worst first, the rest as 等 N 个', () => {
    const r = composeReport(data(), new Date('2007-01-15T00:00:00Z'));
    const problem = paragraphs(r).find((t) => t.includes('参合率低于'))!;
    expect(problem).toContain('13 个乡镇参合率低于 95.0% 的目标（全部乡镇）');
    expect(problem).toMatch(/由低到高为：乡01（80\.0%）、乡02（81\.0%）/);
    // ten named, then the count of all
    expect(problem).toContain('乡10（89.0%）等 13 个乡镇');
    expect(problem).not.toContain('乡11');
  });

  it('tells per-capita funding growth per capita, not the total funds growth', () => {
    const r = composeReport(data(), new Date('2007-01-15T00:00:00Z'));
    // 50.10 / 30.06 − 1 = 66.7 %; the total grew 9,543,456.78 / 5,361,492.13 − 1 = 78.0 %
    const funds = paragraphs(r).find((t) => t.includes('人均筹资'))!;
    expect(funds).toContain('人均筹资 50.10 元，比上年增长 66.7%');
    expect(funds).toContain('筹资总额 954.35 万元，比上年增长 78.0%');
  });

  it('a township report gives the county pool as county-level, never 0', () => {
    const r = composeReport(data({
      township: '410523100', unit: { name: '石桥乡', enrollees: 1000, participation_rate: 0.9, allocated_funds: '50100.00' }, prev: undefined,
      county: { name: '示例县', funds_raised: '9543456.78', per_capita_funding: '50.10' }, subUnits: [],
    }), new Date('2007-01-15T00:00:00Z'));
    const all = paragraphs(r).join('\n');
    expect(all).not.toMatch(/0\.00 万元/);
    expect(all).toContain('全县筹资总额 954.35 万元，人均筹资 50.10 元');
    expect(all).toContain('石桥乡分摊统筹基金 5.01 万元');
    const t = table(r, /基金分摊/);
    expect(t.rows.find((row) => row[0]!.text === '筹资总额')![1]!.text).toBe('全县统筹，不在乡镇核算');
    expect(r.office).toBe('石桥乡合作医疗管理站');
  });

  it('indices: both values, never a growth %', () => {
    const r = composeReport(data(), new Date('2007-01-15T00:00:00Z'));
    const row = table(r, /公平性/).rows.find((x) => x[0]!.text === '补偿集中指数')!;
    expect(row.map((c) => c.text)).toEqual(['补偿集中指数', '0.004', '0.002', '由 0.002 升至 0.004']);
  });

  it('draws the target line even when every bar is below it', () => {
    const svg = chartSvg({ no: 1, title: '各村参合率', kind: 'bar', unit: '%', categories: ['李东村', '李前村'], series: [{ name: '参合率', values: [58.2, 63.4] }], target: { label: '目标', value: 95 } });
    expect(svg).toContain('目标 95%');
  });

  it('dates the report in the county time zone, or on the date given', () => {
    // 05:15 in Beijing on 8 December is still 7 December in UTC
    const at = new Date('2026-12-07T21:15:00Z');
    expect(reportDate(at)).toBe('2026-12-08');
    expect(reportDate(at, { timezone: 'UTC' })).toBe('2026-12-07');
    expect(reportDate(at, { date: '2007-01-15' })).toBe('2007-01-15');
    expect(() => reportDate(at, { date: '2007-13-01' })).toThrow(/YYYY-MM-DD/);
    expect(composeReport(data(), at).dateZh).toBe('2026年12月8日');
    const list = { year: 2006, month: '2006-11', county: '示例县', township: { code: '410523100', name: '城关镇' }, village: { code: '410523100001', name: '李东村' }, rows: [], totals: { stays: 0, total_cost: '0', reimbursed: '0' } };
    expect(disclosureBodyHtml(list, at)).toContain('公示日期：2026年12月8日');
  });

  it('the data note names rejected files, quarantined rows by kind and villages outside the census', () => {
    const r = composeReport(data({
      dataThrough: '2006-12-31',
      rejected: [{ file: 'his-补报.csv', kind: 'his', reason: '缺少必需的列' }],
      quarantined: [{ kind: 'his', column: 'discharge_date', rows: 390 }, { kind: 'his', column: 'drug_cost', rows: 8 }],
      outsideCensus: [{ code: '410523999999', name: null, enrollees: 1 }],
    }), new Date('2007-01-15T00:00:00Z'));
    expect(r.dataThrough).toBe('2006-12-31');
    expect(r.dataNotes).toEqual([
      '未载入的文件 1 个：his-补报.csv（缺少必需的列）',
      '隔离（未计入）的数据行 398 行：his 398 行（discharge_date 390 行，drug_cost 8 行）',
      '不在人口统计中的村：1 人（1 个村：410523999999），计入参合人数，不计入参合率，也不参加乡镇排名',
    ]);
  });
});
