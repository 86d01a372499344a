/**
 * The DOCX (offices edit Word): GB/T 9704 page (A4, margins 37/35/28/26 mm), title in
 * 方正小标宋简体 22 pt, body 仿宋_GB2312 16 pt with two-character indents, `一、` headings in 黑体,
 * numbered tables with header rows repeated, rows kept whole and columns as wide as their figures,
 * page numbers `— 1 —` (odd pages right, even left), a font table naming the free stand-ins. The fonts
 * named are the ones county offices have installed, so the file looks right on their machines.
 */
import {
  AlignmentType, BorderStyle, Document, Footer, ImageRun, Packer, PageNumber, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, WidthType, convertMillimetersToTwip,
} from 'docx';
import type { Block, Report, ReportChart, ReportTable } from '../model.ts';
import { chartSvg } from './chart-svg.ts';
import { dataNote } from './html.ts';
import { NoBrowserError, svgPng } from './pdf.ts';

const TITLE = '方正小标宋简体';
const HEI = '黑体';
const KAI = '楷体_GB2312';
const FANG = '仿宋_GB2312';
const SONG = '宋体';
const pt = (n: number) => n * 2; // docx sizes are half-points

const body = (text: string, opts: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}) =>
  new Paragraph({
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    indent: opts.indent === false ? undefined : { firstLine: convertMillimetersToTwip(11.2) },
    spacing: { line: 560, lineRule: 'exact' },
    children: [new TextRun({ text, font: FANG, size: pt(16) })],
  });

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

/** Display width in half-width characters (a Chinese character takes two). */
const width = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
/** The type area's width (156 mm) in twips, and a cell's left and right margins. */
const AREA = convertMillimetersToTwip(156);
const CELL_MARGINS = 2 * 108;

/**
 * Column widths so a figure never breaks inside its cell: each column as wide as its longest
 * figure (headers may wrap, up to four characters a line); labels take what is left. A table too
 * wide at 10.5 pt is set in 9 pt.
 */
function columnLayout(t: ReportTable): { widths: number[]; size: number } {
  const need = t.columns.map((c, i) => Math.max(Math.min(width(c), 8), ...t.rows.map((r) => ((t.kinds[i] ?? r[i]?.kind) === 'text' && i === 0 ? Math.min(width(r[i]?.text ?? ''), 12) : width(r[i]?.text ?? '')))));
  for (const size of [10.5, 9, 7.5]) {
    // a half-width character at 0.65 em in twips: a stand-in face may set digits wider than half an em
    const perChar = size * 13;
    const widths = need.map((n) => Math.ceil(n * perChar) + CELL_MARGINS);
    const total = widths.reduce((a, b) => a + b, 0);
    if (total <= AREA || size === 7.5) {
      widths[0]! += Math.max(0, AREA - total);
      return { widths, size };
    }
  }
  throw new Error('unreachable');
}

function table(t: ReportTable): (Paragraph | Table)[] {
  const { widths, size } = columnLayout(t);
  const cell = (text: string, i: number, right: boolean, head = false) =>
    new TableCell({
      width: { size: widths[i]!, type: WidthType.DXA },
      borders: { top: border, bottom: border, left: border, right: border },
      children: [new Paragraph({ alignment: head ? AlignmentType.CENTER : right ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [new TextRun({ text, font: head ? HEI : SONG, size: pt(size) })] })],
    });
  return [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 120 }, keepNext: true, children: [new TextRun({ text: `表${t.no}\u3000${t.title}`, font: HEI, size: pt(12) })] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, keepNext: true, children: [new TextRun({ text: t.unit, font: SONG, size: pt(10.5) })] }),
    new Table({
      width: { size: AREA, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      rows: [
        new TableRow({ tableHeader: true, cantSplit: true, children: t.columns.map((c, i) => cell(c, i, false, true)) }),
        ...t.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c.text, i, (t.kinds[i] ?? c.kind) !== 'text')) })),
      ],
    }),
    new Paragraph({ children: [new TextRun({ text: t.source + (t.note ?? ''), font: SONG, size: pt(10.5) })] }),
  ];
}

/**
 * The font table: the faces offices have, each with the free face that stands in for it (what
 * the PDF embeds), so a machine without 方正小标宋 or 仿宋_GB2312 substitutes a like face instead
 * of one fallback for everything. Charset 86 = GB2312.
 */
const FONT_TABLE = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${[
  [TITLE, 'Noto Serif CJK SC', 'roman'], [HEI, 'Noto Sans CJK SC', 'modern'], [KAI, 'AR PL KaitiM GB', 'modern'],
  [FANG, 'Noto Serif CJK SC', 'modern'], [SONG, 'Noto Serif CJK SC', 'auto'],
].map(([name, alt, family]) => `<w:font w:name="${name}"><w:altName w:val="${alt}"/><w:charset w:val="86"/><w:family w:val="${family}"/><w:pitch w:val="variable"/></w:font>`).join('')}</w:fonts>`;

// A chart fills the type area's width (156 mm ≈ 590 px at Word's 96 dpi).
const CHART = { width: 620, height: 300, shownWidth: 590 };

/** The charts as PNG pictures (the same ECharts drawing as the PDF); none without Chromium. */
async function chartPictures(r: Report): Promise<Map<number, Buffer>> {
  const pictures = new Map<number, Buffer>();
  const charts = r.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart] : [])));
  try {
    for (const c of charts) pictures.set(c.no, await svgPng(chartSvg(c, CHART.width, CHART.height), CHART.width, CHART.height));
  } catch (e) {
    if (!(e instanceof NoBrowserError)) throw e;
  }
  return pictures;
}

function chart(c: ReportChart, png: Buffer | undefined): Paragraph[] {
  const caption = new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: `图${c.no}\u3000${c.title}`, font: HEI, size: pt(12) })] });
  // Without Chromium the figures are still in the tables next to the chart.
  if (!png) return [body(`（图${c.no}\u3000${c.title}：见 PDF 版或报告页面，数据见相邻表格。）`)];
  const height = Math.round((CHART.shownWidth * CHART.height) / CHART.width);
  return [new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, children: [new ImageRun({ type: 'png', data: png, transformation: { width: CHART.shownWidth, height } })] }), caption];
}

function block(b: Block, pictures: Map<number, Buffer>): (Paragraph | Table)[] {
  if (b.kind === 'p') return [body(b.text)];
  if (b.kind === 'table') return table(b.table);
  return chart(b.chart, pictures.get(b.chart.no));
}

const pageNumber = (alignment: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
  new Footer({ children: [new Paragraph({ alignment, indent: { left: pt(14) * 10, right: pt(14) * 10 }, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: SONG, size: pt(14) })] })] });

export async function reportDocx(r: Report): Promise<Buffer> {
  const pictures = await chartPictures(r);
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: r.title, font: TITLE, size: pt(22) })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 360 }, children: [new TextRun({ text: r.subtitle, font: KAI, size: pt(16) })] }),
  ];
  if (r.empty) children.push(body(r.empty));
  for (const s of r.sections) {
    children.push(new Paragraph({ indent: { firstLine: convertMillimetersToTwip(11.2) }, spacing: { before: 240 }, keepNext: true, children: [new TextRun({ text: s.heading, font: HEI, size: pt(16) })] }));
    for (const b of s.blocks) children.push(...block(b, pictures));
  }
  children.push(body(`数据说明：${dataNote(r)}。`), body(`数据来源：${r.sources.join('；')}。`));
  children.push(new Paragraph({ spacing: { before: 720 }, alignment: AlignmentType.RIGHT, children: [new TextRun({ text: r.office, font: FANG, size: pt(16) })] }));
  children.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: r.dateZh, font: FANG, size: pt(16) })] }));
  const doc = new Document({
    evenAndOddHeaderAndFooters: true,
    creator: r.office,
    title: r.title,
    sections: [{
      properties: {
        page: {
          size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
          margin: { top: convertMillimetersToTwip(37), bottom: convertMillimetersToTwip(35), left: convertMillimetersToTwip(28), right: convertMillimetersToTwip(26) },
        },
      },
      // GB/T 9704: odd pages' numbers at the right, even pages' at the left, a character in from the edge
      footers: { default: pageNumber(AlignmentType.RIGHT), even: pageNumber(AlignmentType.LEFT) },
      children,
    }],
  });
  return Packer.toBuffer(doc, false, [{ path: 'word/fontTable.xml', data: FONT_TABLE }]);
}
