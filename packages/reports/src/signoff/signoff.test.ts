/**
 * Sign-off on a real warehouse: review, send (the three files archived with their hashes),
 * then a correction loaded and refreshed — the page's view says the data changed, lists the
 * figures that differ, and the archive still holds exactly what was sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ingest } from '@ncms/pipelines';
import { refreshOn } from '@ncms/analytics';
import { testCounty, type TestCounty } from '@ncms/lake/test-support';
import { rows } from '@ncms/warehouse';
import { archivedReport, buildReport, closeBrowser, readArchived, signoffView, signReport, SignoffRefused } from '../index.ts';

let county: TestCounty;
beforeAll(async () => {
  county = await testCounty();
}, 180_000);
afterAll(async () => {
  await closeBrowser();
  await county?.cleanup();
});

const year = { year: 2006 };

describe('report sign-off and archive', () => {
  it('refuses to send before review, and a nameless signer', async () => {
    await expect(signReport(county.conn, year, 'submitted', '李四')).rejects.toThrow(new SignoffRefused('请先审核，再上报'));
    await expect(signReport(county.conn, year, 'reviewed', '  ')).rejects.toThrow('请填写经办人姓名');
    expect((await rows<{ n: number }>(county.conn, 'SELECT count(*) AS n FROM report_signoff'))[0]!.n).toBe(0);
  });

  it('reviews, sends and archives the three files with their SHA-256', async () => {
    // Signed in, the record names the account beside the name written.
    const reviewed = await signReport(county.conn, year, 'reviewed', '张三', 'office');
    expect(reviewed.status).toBe('reviewed');
    expect(reviewed.last).toMatchObject({ action: 'reviewed', by: '张三（office）' });
    const sent = await signReport(county.conn, year, 'submitted', ' 李四 ');
    expect(sent.status).toBe('submitted');
    expect(sent.last).toMatchObject({ action: 'submitted', by: '李四' });
    expect(Object.keys(sent.last!.files!).sort()).toEqual(['docx', 'pdf', 'xlsx']);
    // The hashes recorded equal DuckDB's own SHA-256 of the stored bytes.
    const hashes = await rows<{ format: string; recorded: string; computed: string; size: number }>(
      county.conn,
      `SELECT format, sha256 AS recorded, sha256(bytes) AS computed, octet_length(bytes) AS size FROM report_archive WHERE signoff_id = $1 ORDER BY format`,
      [sent.last!.id],
    );
    expect(hashes.map((h) => h.format)).toEqual(['docx', 'json', 'pdf', 'xlsx']);
    for (const h of hashes) {
      expect(h.recorded, h.format).toBe(h.computed);
      expect(h.size, h.format).toBeGreaterThan(1000);
    }
    const pdf = (await readArchived(county.conn, sent.last!.id, 'pdf'))!;
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.key).toEqual({ year: 2006, period: '2006' });
    await expect(signReport(county.conn, year, 'submitted', '李四')).rejects.toThrow('本报告已上报');
    await expect(signReport(county.conn, year, 'withdrawn', '李四')).rejects.toThrow('已上报的报告不能撤销审核');
  });

  it('after a correction, says the data changed, lists the figures, and still shows what was sent', async () => {
    const sentModel = (await archivedReport(county.conn, (await signoffView(county.conn, year, await buildReport(county.conn, year))).state.lastSubmitted!.id))!;

    const drop = join(county.dir, 'correction');
    await mkdir(join(drop, 'ledger'), { recursive: true });
    await writeFile(join(drop, 'ledger', 'late-2006.csv'), 'entry_id,date,direction,category,amount\nLATE-2006-1,2006-12-30,收入,interest,1234.56\n');
    await ingest(county.conn, drop);
    await refreshOn(county.conn, {});

    const now = await buildReport(county.conn, year);
    expect(now.dataVersion!.version).not.toBe(sentModel.dataVersion!.version);
    const view = await signoffView(county.conn, year, now);
    expect(view.state.status).toBe('submitted');
    expect(view.state.dataChanged).toBe(true);
    expect(view.state.may.reviewed).toBe(true);
    expect(view.changes!.length).toBeGreaterThan(0);
    expect(view.changes!.some((c) => c.table.includes('基金') && c.before !== c.after)).toBe(true);

    // The archived model and the archived XLSX still hold the figures as sent.
    const again = (await archivedReport(county.conn, view.state.lastSubmitted!.id))!;
    expect(again).toEqual(sentModel);
    const xlsx = (await readArchived(county.conn, view.state.lastSubmitted!.id, 'xlsx'))!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.length).toBeGreaterThan(3);

    // Reviewed and sent again: the history keeps both submissions.
    await signReport(county.conn, year, 'reviewed', '张三');
    await signReport(county.conn, year, 'submitted', '李四');
    const after = await signoffView(county.conn, year, await buildReport(county.conn, year));
    expect(after.events.map((e) => e.action)).toEqual(['reviewed', 'submitted', 'reviewed', 'submitted']);
    expect(after.state.dataChanged).toBe(false);
    expect(after.changes).toBeUndefined();
  });
});
