/**
 * The XLSX: one sheet per table, the table title in the first row and its unit in the second,
 * Chinese headers, numbers stored as numbers with display formats (`#,##0.00`, `0.0%`), a frozen
 * header, widths that fit Chinese text, A4 landscape for wide tables; a first sheet with the
 * report's text. Dates fixed to the data's as-of time, so the same data gives the same cells.
 */
import ExcelJS from 'exceljs';
import type { Cell, CellKind, Report, ReportTable } from '../model.ts';
import { dataNote } from './html.ts';

/**
 * Display formats by the catalogue's figure kinds. Money is stored in 元 to the fen; where the
 * report prints 万元 the cell shows 万元 by a literal point four digits from the right (Excel and
 * LibreOffice cannot divide by 10,000 in a format), so `=SUM()` adds the exact 元 and equals the
 * printed 合计 (shown to the 元, the PDF rounds it to two decimals). Changes are stored as printed.
 */
const FORMATS: Partial<Record<CellKind, string>> = {
  money: '#,##0.00', rate: '0.0%', count: '#,##0', days: '0.0', ratio: '0.00', index: '0.000',
  growth: '+0.0%;-0.0%;"持平"', points: '+0.0" 个百分点";-0.0" 个百分点";"持平"',
};
const WAN = '0"."0000';
const formatOf = (c: Cell) => (c.kind === 'money' && c.moneyUnit === '万元' ? WAN : (FORMATS[c.kind] ?? 'General'));
/** A cell's spreadsheet value: a number where it has one, else its text (`由 0.002 升至 0.004`, `—`). */
const stored = (c: Cell) => (c.kind === 'text' || c.value === null || typeof c.value === 'string' ? c.text : c.value);

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
    const row = ws.addRow(r.map(stored));
    r.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (typeof stored(c) === 'number') cell.numFmt = formatOf(c);
      // figures (and a change told in words) right, labels left
      cell.alignment = { horizontal: (t.kinds[i] ?? c.kind) === 'text' ? 'left' : 'right' };
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
  for (const l of lines) {
    const row = cover.addRow([l]);
    row.alignment = { wrapText: true, vertical: 'top' };
    // wrapped text shows only what its row's height holds: about 48 Chinese characters a line at width 100
    row.height = Math.max(1, Math.ceil(width(l) / 96)) * 15 + 3;
  }
  cover.getRow(1).font = { bold: true, size: 16 };
  for (const s of r.sections) for (const b of s.blocks) if (b.kind === 'table') tableSheet(wb, b.table);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
