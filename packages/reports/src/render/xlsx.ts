/**
 * The XLSX: one sheet per table, the table title in the first row and its unit in the second,
 * Chinese headers, numbers stored as numbers with display formats (`#,##0.00`, `0.0%`), a frozen
 * header, widths that fit Chinese text, A4 landscape for wide tables; a first sheet with the
 * report's text. Dates fixed to the data's as-of time, so the same data gives the same cells.
 */
import ExcelJS from 'exceljs';
import type { CellKind, Report, ReportTable } from '../model.ts';
import { dataNote } from './html.ts';

const FORMATS: Partial<Record<CellKind, string>> = { money: '#,##0.00', rate: '0.0%', count: '#,##0', decimal: '0.0', growth: '0.0%', points: '+0.0"个百分点";-0.0"个百分点"' };

/** Display width of text: a Chinese character takes two columns. */
const width = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);

function tableSheet(wb: ExcelJS.Workbook, t: ReportTable): void {
  const ws = wb.addWorksheet(`表${t.no} ${t.title}`.replace(/[\\/?*[\]:]/g, '').slice(0, 31), {
    pageSetup: { paperSize: 9, orientation: t.columns.length > 5 ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 3 }],
  });
  ws.addRow([`表${t.no}\u3000${t.title}`]).font = { bold: true, size: 12 };
  ws.addRow([t.unit]);
  const head = ws.addRow(t.columns);
  head.font = { bold: true };
  head.alignment = { horizontal: 'center' };
  for (const r of t.rows) {
    const row = ws.addRow(r.map((c) => (c.kind === 'text' ? c.text : c.value === null ? '—' : Number(c.value))));
    r.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (c.kind !== 'text' && c.value !== null) cell.numFmt = FORMATS[c.kind] ?? 'General';
      cell.alignment = { horizontal: c.kind === 'text' ? 'left' : 'right' };
    });
  }
  ws.addRow([]);
  ws.addRow([t.source + (t.note ?? '')]);
  ws.columns.forEach((col, i) => {
    const texts = [t.columns[i] ?? '', ...t.rows.map((r) => r[i]?.text ?? '')];
    col.width = Math.min(40, Math.max(8, ...texts.map(width)) + 2);
  });
  ws.pageSetup.printArea = `A1:${String.fromCharCode(64 + t.columns.length)}${t.rows.length + 5}`;
}

export async function reportXlsx(r: Report): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const at = r.dataVersion ? new Date(`${r.dataVersion.asOf.replace(' ', 'T')}+08:00`) : new Date(0);
  wb.created = at;
  wb.modified = at;
  wb.creator = r.office;
  const cover = wb.addWorksheet('报告');
  cover.getColumn(1).width = 100;
  const lines = [r.title, r.subtitle, ...(r.empty ? [r.empty] : []), ...r.sections.flatMap((s) => [s.heading, ...s.blocks.flatMap((b) => (b.kind === 'p' ? [b.text] : b.kind === 'table' ? [`（见表${b.table.no}：${b.table.title}）`] : []))]), `数据说明：${dataNote(r)}`, `数据来源：${r.sources.join('；')}`, r.office, r.dateZh];
  for (const l of lines) cover.addRow([l]).alignment = { wrapText: true };
  cover.getRow(1).font = { bold: true, size: 16 };
  for (const s of r.sections) for (const b of s.blocks) if (b.kind === 'table') tableSheet(wb, b.table);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
