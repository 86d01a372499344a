/**
 * Each format opens and holds the right figures: the XLSX parsed back and compared with the
 * query API and with a count taken straight from the roll; the DOCX unzipped and its headings
 * and key numbers found; the PDF through `pdftotext` and its first page rendered to PNG; a
 * period with no data says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { readIndicators } from '@ncms/analytics';
import { testCounty, type TestCounty } from '@ncms/lake/test-support';
import { rows } from '@ncms/warehouse';
import { buildReport, closeBrowser, renderReport, type Report } from './index.ts';

let county: TestCounty;
let report: Report;
let enrollees: number;
beforeAll(async () => {
  county = await testCounty();
  report = await buildReport(county.conn, { year: 2006 }, new Date('2007-01-15T08:00:00+08:00'));
  // Independent of the analytics tables: persons on the 2006 roll.
  enrollees = (await rows<{ n: number }>(county.conn, 'SELECT count(DISTINCT person_id) AS n FROM enrollment WHERE year = 2006'))[0]!.n;
}, 180_000);
afterAll(async () => {
  await closeBrowser();
  await county?.cleanup();
});

const group = (n: number) => n.toLocaleString('en-US');

describe('inspection report', () => {
  it('has the nine parts in order, tables numbered from 1, and the signature', () => {
    const headings = report.sections.map((s) => s.heading);
    expect(headings.slice(0, 5)).toEqual(['一、基本情况', '二、基金筹集', '三、基金支出与补偿', '四、基金运行', '五、审核发现']);
    expect(headings.at(-2)).toMatch(/、存在问题$/);
    expect(headings.at(-1)).toMatch(/、下一步工作建议$/);
    const numbers = report.sections.flatMap((s) => s.blocks.filter((b) => b.kind === 'table').map((b) => (b.kind === 'table' ? b.table.no : 0)));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(report.dateZh).toBe('2007年1月15日');
    expect(report.office).toBe('示例县合作医疗管理办公室');
  });

  it('XLSX: one sheet per table, numbers stored as numbers, equal to the query API', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderReport(report, 'xlsx')) as unknown as ArrayBuffer);
    const tables = report.sections.flatMap((s) => s.blocks.filter((b) => b.kind === 'table'));
    expect(wb.worksheets).toHaveLength(tables.length + 1);
    const basic = wb.worksheets[1]!;
    expect(String(basic.getCell('A1').value)).toMatch(/^表1/);
    const rowOf = (label: string) => basic.getSheetValues().find((r) => Array.isArray(r) && r[1] === label) as unknown[];
    expect(rowOf('参合人数')[2]).toBe(enrollees);
    const [api] = (await readIndicators(county.conn, { year: 2006, grain: 'county' })).rows;
    expect(rowOf('参合率')[2]).toBeCloseTo(Number(api!.participation_rate), 12);
    expect(basic.getCell(`C${basic.getSheetValues().findIndex((r) => Array.isArray(r) && r[1] === '参合率')}`).numFmt).toBe('0.0%');
    // Money stored in 元 to the fen, equal to the API's, shown in 万元 by its format; the parts add up to the 合计.
    const funds = wb.worksheets.find((w) => String(w.getCell('A1').value).includes('基金筹集'))!;
    const fundRows = funds.getSheetValues().filter((r) => Array.isArray(r) && typeof r[3] === 'number') as unknown[][];
    const total = fundRows.find((r) => r[1] === '合计')!;
    expect(total[3]).toBe(Number(api!.funds_raised));
    const parts = fundRows.filter((r) => r !== total).reduce((s, r) => s + Math.round(Number(r[3]) * 100), 0);
    expect(parts).toBe(Math.round(Number(api!.funds_raised) * 100));
    const totalRow = funds.getSheetValues().findIndex((r) => Array.isArray(r) && r[1] === '合计');
    expect(funds.getCell(`C${totalRow}`).numFmt).toBe('0"."0000');
  });

  it('DOCX: the headings, the key numbers and the GB/T 9704 fonts', async () => {
    const zip = await JSZip.loadAsync(await renderReport(report, 'docx'));
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    for (const h of ['一、基本情况', '二、基金筹集', '三、基金支出与补偿', '五、审核发现', '示例县合作医疗管理办公室']) expect(text).toContain(h);
    expect(text).toContain(`参合人数 ${group(enrollees)} 人`);
    expect(xml).toContain('方正小标宋简体');
    expect(xml).toContain('仿宋_GB2312');
    expect(xml).toMatch(/w:cantSplit/);
    // the font table names the offices' faces with the free faces that stand in for them
    const fonts = await zip.file('word/fontTable.xml')!.async('string');
    expect(fonts).toContain('<w:font w:name="方正小标宋简体"><w:altName w:val="Noto Serif CJK SC"/>');
    expect(fonts).toContain('<w:font w:name="仿宋_GB2312">');
    // odd and even pages' numbers: right and left
    expect(await zip.file('word/settings.xml')!.async('string')).toContain('w:evenAndOddHeaders');
    // Every chart as a PNG picture with its caption (the sizes: 620 × 300 drawn at twice that).
    const charts = report.sections.flatMap((s) => s.blocks.filter((b) => b.kind === 'chart'));
    expect(charts.length).toBeGreaterThan(0);
    const pngs = Object.keys(zip.files).filter((f) => /^word\/media\/.+\.png$/.test(f));
    expect(pngs).toHaveLength(charts.length);
    const png = await zip.file(pngs[0]!)!.async('nodebuffer');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1240, 600]);
    for (const c of charts) if (c.kind === 'chart') expect(text).toContain(`图${c.chart.no}\u3000${c.chart.title}`);
  });

  it('PDF: A4, the text extractable with the figures, the first page drawn', async () => {
    const file = join(county.dir, 'r.pdf');
    await writeFile(file, await renderReport(report, 'pdf'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('示例县新型农村合作医疗运行情况报告');
    // a line may break anywhere in Chinese prose
    expect(text.replace(/\s+/g, '')).toContain(`参合人数${group(enrollees)}人`);
    expect(text).toMatch(/—\s*1\s*—/);
    // fonts embedded as CID subsets (print shops refuse Type 3), no heading left at the foot of a page
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/CID TrueType/);
    expect(fonts).not.toMatch(/Type 3/);
    for (const page of text.split('\f')) {
      const lines = page.split('\n').map((l) => l.trim()).filter((l) => l && !/^—\s*\d+\s*—$/.test(l));
      if (lines.length) expect(lines.at(-1)).not.toMatch(/^([一二三四五六七八九十]+、|表\d+)/);
    }
    // every column header whole on its line ("住院补/偿" was a header broken inside a word)
    const headers = report.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'table' ? b.table.columns : [])));
    for (const h of headers) expect(text, h).toContain(h);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+59\d\.\d+ x 841\.\d+ pts \(A4\)/);
    execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', '-singlefile', file, join(county.dir, 'page')]);
    const png = await readFile(join(county.dir, 'page.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // A4 at 40 dpi: 331 × 468 pixels.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([331, 468]);
  });

  it('opens in LibreOffice: the DOCX as a PDF and the XLSX as CSV hold the key figures, numbers unbroken', async () => {
    const dir = join(county.dir, 'office');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'r.docx'), await renderReport(report, 'docx'));
    await writeFile(join(dir, 'r.xlsx'), await renderReport(report, 'xlsx'));
    // a private profile, so a concurrent soffice elsewhere does not capture the conversion
    const profile = `-env:UserInstallation=file://${join(dir, 'profile')}`;
    execFileSync('soffice', [profile, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'r.docx')], { timeout: 120_000 });
    const docx = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(docx.replace(/\s+/g, '')).toContain(`参合人数${group(enrollees)}人`);
    // every figure of every table on one line of the converted text (none broken inside its cell)
    const figures = report.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'table' ? b.table.rows.flatMap((r) => r.slice(1).filter((c) => c.kind !== 'text' && c.value !== null).map((c) => c.text)) : [])));
    expect(figures.length).toBeGreaterThan(50);
    for (const f of figures) expect(docx, f).toContain(f);
    // the XLSX's first table sheet as LibreOffice shows it (cells as displayed)
    execFileSync('soffice', [profile, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', dir, join(dir, 'r.xlsx')], { timeout: 120_000 });
    const csv = await readFile(join(dir, 'r-表3 基金筹集情况（按来源）.csv'), 'utf8');
    const [api] = (await readIndicators(county.conn, { year: 2006, grain: 'county' })).rows;
    // 合计 in 万元 as the format shows it: the exact 元 with the point four places in
    const fen = BigInt(String(api!.funds_raised).replace('.', ''));
    const yuan = (fen + 50n) / 100n;
    expect(csv).toContain(`合计,—,${yuan / 10000n}.${String(yuan % 10000n).padStart(4, '0')}`);
  }, 300_000);

  it('a period with no data says so instead of printing empty tables', async () => {
    const empty = await buildReport(county.conn, { year: 2010 });
    expect(empty.sections).toEqual([]);
    expect(empty.empty).toMatch(/2010年度尚无数据/);
    const zip = await JSZip.loadAsync(await renderReport(empty, 'docx'));
    expect(await zip.file('word/document.xml')!.async('string')).toContain('尚无数据');
  });

  it('a township report covers that township and ranks its villages', async () => {
    const [t] = await rows<{ code: string; name: string }>(county.conn, "SELECT division_code AS code, name FROM analytics_year WHERE year = 2006 AND level = 'township' AND in_census ORDER BY 1 LIMIT 1");
    const r = await buildReport(county.conn, { year: 2006, township: t!.code });
    expect(r.subtitle).toContain(t!.name);
    const ranking = r.sections[0]!.blocks.find((b) => b.kind === 'table' && b.table.title.includes('各村'));
    const villages = await rows<{ n: number }>(county.conn, `SELECT count(*) AS n FROM analytics_year WHERE year = 2006 AND level = 'village' AND division_code LIKE '${t!.code}%' AND participation_rate IS NOT NULL`);
    expect(ranking?.kind === 'table' && ranking.table.rows.length).toBe(villages[0]!.n);
  });
});
