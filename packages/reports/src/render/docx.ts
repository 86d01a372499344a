/**
 * The DOCX (offices edit Word): GB/T 9704 page (A4, margins 37/35/28/26 mm), title in
 * 方正小标宋简体 22 pt, body 仿宋_GB2312 16 pt with two-character indents, `一、` headings in 黑体,
 * numbered tables with header rows repeated and rows kept whole, page numbers `— 1 —`. The fonts
 * named are the ones county offices have installed, so the file looks right on their machines.
 */
import {
  AlignmentType, BorderStyle, Document, Footer, ImageRun, Packer, PageNumber, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, convertMillimetersToTwip,
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

function table(t: ReportTable): (Paragraph | Table)[] {
  const cell = (text: string, right: boolean, head = false) =>
    new TableCell({
      borders: { top: border, bottom: border, left: border, right: border },
      children: [new Paragraph({ alignment: head ? AlignmentType.CENTER : right ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [new TextRun({ text, font: head ? HEI : SONG, size: pt(10.5) })] })],
    });
  return [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 120 }, keepNext: true, children: [new TextRun({ text: `表${t.no}\u3000${t.title}`, font: HEI, size: pt(12) })] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, keepNext: true, children: [new TextRun({ text: t.unit, font: SONG, size: pt(10.5) })] }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, cantSplit: true, children: t.columns.map((c) => cell(c, false, true)) }),
        ...t.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c.text, (t.kinds[i] ?? c.kind) !== 'text')) })),
      ],
    }),
    new Paragraph({ children: [new TextRun({ text: t.source + (t.note ?? ''), font: SONG, size: pt(10.5) })] }),
  ];
}

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
    creator: r.office,
    title: r.title,
    sections: [{
      properties: {
        page: {
          size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
          margin: { top: convertMillimetersToTwip(37), bottom: convertMillimetersToTwip(35), left: convertMillimetersToTwip(28), right: convertMillimetersToTwip(26) },
        },
      },
      footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: SONG, size: pt(14) })] })] }) },
      children,
    }],
  });
  return Packer.toBuffer(doc);
}
