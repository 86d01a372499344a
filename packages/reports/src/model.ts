/**
 * The inspection report as a document, before any format: numbered sections of paragraphs,
 * numbered tables (title, unit, source) and numbered charts. Every renderer (HTML for the page
 * and the PDF, DOCX, XLSX) reads this one model, so the three files hold the same figures.
 */

/** How a number is stored and shown: money in the table's money unit, rates as %, counts. */
export type CellKind = 'text' | 'money' | 'rate' | 'points' | 'count' | 'decimal' | 'growth';

export interface Cell {
  /** As printed (`1,234.56`, `85.3%`, `增长 4.2%`, `—`). */
  text: string;
  /** As stored in a spreadsheet: money in the table's money unit, rates as fractions; null when empty. */
  value: number | string | null;
  kind: CellKind;
}

export interface ReportTable {
  no: number;
  title: string;
  /** `单位：万元、%` at the top right. */
  unit: string;
  columns: string[];
  /** Per column: text columns align left, figures right. */
  kinds: CellKind[];
  rows: Cell[][];
  source: string;
  note?: string;
}

export interface ReportChart {
  no: number;
  title: string;
  kind: 'bar' | 'line';
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
  /** Axis unit (`%`, `万元`). */
  unit: string;
  /** A target drawn as a dashed line. */
  target?: { label: string; value: number };
}

export type Block = { kind: 'p'; text: string } | { kind: 'table'; table: ReportTable } | { kind: 'chart'; chart: ReportChart };

export interface ReportSection {
  /** `一、基本情况` */
  heading: string;
  blocks: Block[];
}

export interface Report {
  title: string;
  /** `（2006年第一季度）` */
  subtitle: string;
  /** The office that sends it and the date, for the signature block. */
  office: string;
  dateZh: string;
  /** The period as asked: `2006`, `2006Q1`, `2006-03`. */
  period: string;
  township?: { code: string; name: string };
  sections: ReportSection[];
  /** The data's as-of time, version and the batches (files) it reflects. */
  dataVersion: { version: string; asOf: string; batches: number } | null;
  sources: string[];
  /** Set when the period has no data: the report says so instead of empty tables. */
  empty?: string;
}
