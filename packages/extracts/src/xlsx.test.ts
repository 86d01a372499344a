import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { xlsxToCsv } from './xlsx.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-xlsx-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('xlsxToCsv', () => {
  it('reads a workbook that stores its workbook part after its sheets, every time (ExcelJS streaming race)', async () => {
    // ExcelJS writes xl/workbook.xml last; its streaming reader then fails now and then (a few in a
    // hundred reads on a busy machine here, rarely on a quiet one) with "reading 'sheets'"; the
    // sample county's workbooks are written so. A guard against the retry being lost, not a proof.
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名册').addRows([['身份证号', '姓名'], ['11010519491231002X', '张三']]);
    wb.addWorksheet('说明').addRow(['第二张表不读']);
    const path = join(dir, 'two-sheets.xlsx');
    await wb.xlsx.writeFile(path);
    for (let i = 0; i < 60; i++) {
      const out = join(dir, `out-${i}.csv`);
      await xlsxToCsv(path, out);
      expect(await readFile(out, 'utf8')).toBe('__line,身份证号,姓名\n2,11010519491231002X,张三\n');
    }
  });
});
