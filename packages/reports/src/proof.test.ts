/**
 * The report proof: over a generated county, for the county and every township, for a year, a
 * quarter and a month, the XLSX is parsed back and every figure of every table is checked against
 * the query API's figure for its unit and period (`FigureRef`); every change against its two API
 * values and its kind of change, by plain arithmetic here (growth to 0.1 %, points to 0.1 point,
 * both values printed); the HTML the PDF is printed from shows the same texts; parts add up to
 * their totals. A mutation check shows the proof catches a swapped period and a wrong change kind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { readIndicators } from '@ncms/analytics';
import { testCounty, type TestCounty } from '@ncms/lake/test-support';
import { howTold, tellFigure } from '@ncms/rules';
import { rows, type Row } from '@ncms/warehouse';
import { composeReport } from './compose.ts';
import { gatherReport } from './gather.ts';
import type { FigureRef, Report, ReportTable } from './model.ts';
import { reportBodyHtml } from './render/html.ts';
import { reportXlsx } from './render/xlsx.ts';

let county: TestCounty;
let townships: string[];
const YEAR = 2006;
beforeAll(async () => {
  county = await testCounty(0.3);
  townships = (await rows<{ code: string }>(county.conn, `SELECT division_code AS code FROM analytics_year WHERE year = ${YEAR} AND level = 'township' ORDER BY 1`)).map((r) => r.code);
}, 300_000);
afterAll(async () => {
  await county?.cleanup();
});

const tablesOf = (r: Report): ReportTable[] => r.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'table' ? [b.table] : [])));
const DASH = '—';

/** The API's row for a reference (cached: one query per unit and period). */
function apiReader() {
  const cache = new Map<string, Promise<Row | undefined>>();
  return (r: FigureRef, period: string): Promise<Row | undefined> => {
    const key = JSON.stringify([r.grain, r.unit, r.within, period]);
    let hit = cache.get(key);
    if (!hit) {
      const year = Number(period.slice(0, 4));
      hit = readIndicators(county.conn, {
        year, grain: r.grain, ...(r.grain === 'county' ? {} : { units: [r.unit] }), ...(r.within ? { within: r.within } : {}), ...(period.length > 4 ? { period } : {}),
      }).then((t) => t.rows[0]);
      cache.set(key, hit);
    }
    return hit;
  };
}

const num = (v: unknown): number | null => (v == null || v === '' ? null : Number(v));
/** Is `x` a multiple of `step` (within float noise)? */
const onStep = (x: number, step: number) => Math.abs(x / step - Math.round(x / step)) < 1e-6;

/** Every disagreement between the report's XLSX and the API, as one line each. */
async function prove(report: Report): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await reportXlsx(report)) as unknown as ArrayBuffer);
  const api = apiReader();
  const wrong: string[] = [];
  const tables = tablesOf(report);
  for (const [k, t] of tables.entries()) {
    const ws = wb.worksheets[k + 1]!;
    for (const [i, row] of t.rows.entries()) {
      const sheetRow = ws.getRow(4 + i);
      for (const [j, ref] of (t.refs?.[i] ?? []).entries()) {
        if (!ref) continue;
        const where = `表${t.no}「${t.title}」${row[0]!.text}/${t.columns[j]} (${ref.column} ${ref.unit} ${ref.part})`;
        const stored = sheetRow.getCell(j + 1).value;
        const how = howTold(ref.column);
        const a = num((await api(ref, ref.period))?.[ref.column]);
        const b = num((await api(ref, ref.prevPeriod))?.[ref.column]);
        if (ref.part !== 'change') {
          const want = ref.part === 'now' ? a : b;
          if (want === null) {
            if (stored !== DASH) wrong.push(`${where}: API 为空，表中为 ${String(stored)}`);
            continue;
          }
          if (typeof stored !== 'number') {
            wrong.push(`${where}: 应为数值 ${want}，表中为 ${String(stored)}`);
            continue;
          }
          const ok =
            how.format === 'money' ? Math.round(stored * 100) === Math.round(want * 100)
            : how.format === 'count' ? stored === want
            : how.format === 'points' ? Math.abs(stored - want * 100) < 1e-9
            : Math.abs(stored - want) < 1e-12;
          if (!ok) wrong.push(`${where}: 表中 ${stored}，API ${want}`);
          continue;
        }
        // the change, from the two API values by its kind
        if (a === null || b === null || how.change === 'none') {
          if (stored !== DASH) wrong.push(`${where}: 无可比数据，表中为 ${String(stored)}`);
          continue;
        }
        const text = row[j]!.text;
        const flip = (a > 0 && b < 0) || (a < 0 && b > 0);
        if (how.change === 'both' || (how.change === 'growth' && (a < 0 || b < 0))) {
          const printed = [row[j - 1]?.text, row[j - 2]?.text];
          const both = text.startsWith('持平') ? text.includes(printed[1]!) : text.startsWith('由') && text.includes(printed[0]!) && text.includes(printed[1]!);
          if (typeof stored !== 'string' || !both) wrong.push(`${where}: 应写两期数值（${printed[0]} / ${printed[1]}），表中为 ${String(stored)}`);
          if (flip && !/由(正转负|负转正)/.test(text)) wrong.push(`${where}: 正负变化未说明`);
          continue;
        }
        if (how.change === 'growth') {
          if (b === 0) {
            if (stored !== DASH) wrong.push(`${where}: 上期为 0，不应有增幅，表中为 ${String(stored)}`);
            continue;
          }
          const g = a / b - 1;
          if (typeof stored !== 'number' || !onStep(stored, 0.001) || Math.abs(stored - g) > 0.0005 + 1e-9) wrong.push(`${where}: 增幅应为 ${(g * 100).toFixed(3)}%，表中为 ${String(stored)}`);
          continue;
        }
        // points: from the unrounded values; "约" exactly when the printed values differ by another amount
        const d = (a - b) * 100;
        if (typeof stored !== 'number' || !onStep(stored, 0.1) || Math.abs(stored - d) > 0.05 + 1e-9) {
          wrong.push(`${where}: 应为 ${d.toFixed(3)} 个百分点，表中为 ${String(stored)}`);
          continue;
        }
        const printedOf = (t: string) => Number(/[+-]?\d+(\.\d+)?/.exec(t)?.[0]);
        const printedDiff = Number((printedOf(row[j - 2]!.text) - printedOf(row[j - 1]!.text)).toFixed(1));
        if (text.startsWith('约') !== (Math.abs(printedDiff - stored) > 1e-9)) wrong.push(`${where}: “约”用错（印出之差 ${printedDiff}，实际 ${stored}）`);
      }
    }
  }
  return wrong;
}

/** Parts that must add up: sources to the funds' 合计 (to the fen), stays by level to the year's stays. */
function sums(report: Report, unitRow: Row | undefined, d: Awaited<ReturnType<typeof gatherReport>>): string[] {
  const wrong: string[] = [];
  // the ranking's enrolees and those of villages outside the census (the data note) make the unit's
  const ranking = tablesOf(report).find((t) => t.title.includes('参合率排名'));
  if (ranking && d.unit && d.unit.in_census !== false) {
    const col = ranking.columns.indexOf('参合人数');
    const ranked = ranking.rows.reduce((s, r) => s + Number(r[col]!.value), 0);
    const unranked = d.subUnits.filter((u) => u.participation_rate == null || u.in_census === false).reduce((s, u) => s + Number(u.enrollees ?? 0), 0);
    if (ranked + unranked !== Number(d.unit.enrollees)) wrong.push(`排名表参合人数 ${ranked} + 未排名 ${unranked} ≠ ${String(d.unit.enrollees)}`);
    const noted = d.outsideCensus.reduce((s, v) => s + v.enrollees, 0);
    if (unranked > 0 && !(report.dataNotes ?? []).some((n) => n.includes(`不在人口统计中的村：${noted.toLocaleString('en-US')} 人`))) wrong.push(`未排名的 ${unranked} 人在数据说明中没有交代`);
  }
  const funds = tablesOf(report).find((t) => t.title.startsWith('基金筹集情况'));
  if (funds) {
    const fen = (v: unknown) => Math.round(Number(v) * 100);
    const total = funds.rows.find((r) => r[0]!.text === '合计')!;
    const parts = funds.rows.filter((r) => r !== total).reduce((s, r) => s + fen(r[2]!.value), 0);
    if (parts !== fen(total[2]!.value)) wrong.push(`基金筹集：各来源之和 ${parts / 100} ≠ 合计 ${fen(total[2]!.value) / 100}`);
  }
  // stays and payouts by level add up to the period's (the year's for a year report) inpatient figures of the API
  const levels = tablesOf(report).find((t) => t.title.includes('分级别住院补偿'));
  if (levels && unitRow) {
    const stays = levels.rows.reduce((s, r) => s + Number(r[1]!.value), 0);
    const payout = levels.rows.reduce((s, r) => s + Math.round(Number(r[2]!.value) * 100), 0);
    if (stays !== Number(unitRow.inpatient_stays)) wrong.push(`分级别住院人次之和 ${stays} ≠ 本期住院人次 ${String(unitRow.inpatient_stays)}`);
    if (payout !== Math.round(Number(unitRow.inpatient_payout) * 100)) wrong.push(`分级别住院补偿之和 ${payout / 100} ≠ 本期住院补偿 ${String(unitRow.inpatient_payout)}`);
  }
  return wrong;
}

/** The HTML the PDF is printed from shows each table cell as the model has it, in order. */
function htmlAgrees(report: Report): string[] {
  const html = reportBodyHtml(report);
  const cells = [...html.matchAll(/<td class="[^"]*">([^<]*)<\/td>/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'));
  const model = tablesOf(report).flatMap((t) => t.rows.flatMap((r) => r.map((c) => c.text)));
  return cells.length === model.length && cells.every((c, i) => c === model[i]) ? [] : [`HTML 表格与报告模型不一致（${cells.length} / ${model.length} 格）`];
}

/** Number tokens of a text (`3,671`, `92.0%`, `-4.5`), without years, months, quarters and ordinals. */
const numbersIn = (t: string): string[] =>
  [...t.matchAll(/(?<![\d.,])[+-]?\d[\d,]*(?:\.\d+)?%?(?![\d年月季日])/g)].map((m) => m[0].replace(/^\+/, ''));

/**
 * Every number in the prose appears in a table of the report or is the API's figure of the unit
 * (this year or last, the year or the period, the county's pool, a facility's), a policy target,
 * or a count of the report's own rows.
 */
async function proseAgrees(report: Report, d: Awaited<ReturnType<typeof gatherReport>>): Promise<string[]> {
  const known = new Set<string>();
  const add = (t: string) => numbersIn(t).forEach((n) => known.add(n));
  for (const t of tablesOf(report)) {
    for (const r of t.rows) for (const c of r) add(c.text);
    known.add(String(t.rows.length));
  }
  const rowsOfApi: Row[] = [d.unit, d.prev, d.periodRow, d.prevPeriodRow, d.county, ...d.facilities, ...d.subUnits].filter((r): r is Row => !!r);
  for (const row of rowsOfApi) {
    for (const [column, value] of Object.entries(row)) {
      let how;
      try {
        how = howTold(column);
      } catch {
        continue;
      }
      for (const money of ['元', '万元'] as const) add(tellFigure({ column: how.column, value, money }).valueText);
    }
  }
  // changes of the unit's figures against last year (the year's and the period's), as the API's two values give them
  for (const [now, before] of [[d.unit, d.prev], [d.periodRow, d.prevPeriodRow]] as const) {
    for (const column of Object.keys(now ?? {})) {
      try {
        add(tellFigure({ column, value: now?.[column], previous: before?.[column] }).changeText);
      } catch {
        // not a catalogue column (keys, names)
      }
    }
  }
  // unit and facility codes (a name the registry lacks is printed as its code)
  for (const row of rowsOfApi) for (const k of ['division_code', 'facility_code']) if (row[k] != null) add(String(row[k]));
  known.add(String(d.facilities.filter((f) => Number(f.inpatient_stays ?? 0) > 0).length));
  for (const [k, v] of Object.entries(d.policy?.targets ?? {})) if (typeof v === 'number') add(tellFigure({ column: k === 'participation_rate' ? 'participation_rate' : 'surplus_rate', value: v }).cell.text);
  const prose = report.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'p' ? [b.text] : [])));
  return prose.flatMap((t) => numbersIn(t).filter((n) => !known.has(n)).map((n) => `正文中的 ${n} 不在表格或接口数据中：${t.slice(0, 60)}`));
}


describe('report proof (generated county, scale 0.3)', () => {
  it('county and every township, year, quarter and month: every table figure equals the API, every change its two values', async () => {
    const started = performance.now();
    const units: (string | undefined)[] = [undefined, ...townships];
    let figures = 0;
    for (const township of units) {
      const yearRow = (await readIndicators(county.conn, { year: YEAR, grain: township ? 'township' : 'county', ...(township ? { units: [township] } : {}) })).rows[0];
      for (const period of [String(YEAR), `${YEAR}Q2`, `${YEAR}-12`]) {
        const d = await gatherReport(county.conn, { year: YEAR, period, ...(township ? { township } : {}) });
        const report = composeReport(d, new Date('2007-01-15T00:00:00Z'));
        expect(report.empty, `${township ?? '全县'} ${period}`).toBeUndefined();
        figures += tablesOf(report).reduce((n, t) => n + (t.refs ?? []).flat().filter(Boolean).length, 0);
        expect([...(await prove(report)), ...sums(report, period === String(YEAR) ? yearRow : d.periodRow, d), ...htmlAgrees(report), ...(await proseAgrees(report, d))], `${township ?? '全县'} ${period}`).toEqual([]);
      }
    }
    expect(townships.length).toBeGreaterThan(1);
    // the proof covered a meaningful number of figures
    expect(figures).toBeGreaterThan(1000);
    console.log(`report proof: ${units.length} units × 3 periods, ${figures} figures, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);

  it('catches a swapped period and a wrong change kind (mutation check)', async () => {
    const d = await gatherReport(county.conn, { year: YEAR, period: `${YEAR}Q2` });
    // the same period last year put where this year's stands
    const swapped = composeReport({ ...d, periodRow: d.prevPeriodRow, prevPeriodRow: d.periodRow }, new Date('2007-01-15T00:00:00Z'));
    expect((await prove(swapped)).length).toBeGreaterThan(0);
    // a rate's change told as growth (a percent of a percent) instead of points
    const report = composeReport(d, new Date('2007-01-15T00:00:00Z'));
    const t = tablesOf(report).find((x) => x.rows.some((r) => r[3]?.kind === 'points'))!;
    const i = t.rows.findIndex((r) => r[3]?.kind === 'points' && Number(r[2]!.value) !== 0);
    const [a, b] = [Number(t.rows[i]![1]!.value), Number(t.rows[i]![2]!.value)];
    t.rows[i]![3] = { text: `${((a / b - 1) * 100).toFixed(1)}%`, value: Math.round((a / b - 1) * 1000) / 1000, kind: 'growth' };
    const caught = await prove(report);
    expect(caught, JSON.stringify(caught)).toHaveLength(1);
    expect(caught[0]).toMatch(/个百分点/);
  }, 120_000);
});
