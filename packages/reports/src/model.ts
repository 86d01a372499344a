/**
 * The inspection report as a document, before any format: numbered sections of paragraphs,
 * numbered tables (title, unit, source) and numbered charts. Every renderer (HTML for the page
 * and the PDF, DOCX, XLSX) reads this one model, so the three files hold the same figures.
 */

import type { FigureKind, MoneyUnit } from '@ncms/rules';

/** How a number is stored and shown (the catalogue's figure kinds, @ncms/rules `tellFigure`). */
export type CellKind = FigureKind;

export interface Cell {
  /** As printed (`1,234.56`, `85.3%`, `+4.2%`, `由 0.002 升至 0.004`, `—`). */
  text: string;
  /**
   * As stored in a spreadsheet: money in 元 to the fen (displayed in `moneyUnit`), rates and growth
   * as fractions, percentage points as points; null when the text says it all.
   */
  value: number | string | null;
  kind: CellKind;
  moneyUnit?: MoneyUnit;
}

/**
 * Where a table cell's figure comes from: a catalogue column of a unit (`county`, or a division or
 * facility code) for a period, as it is (`now`), last period's (`prev`) or the change between them.
 */
export interface FigureRef {
  column: string;
  unit: string;
  grain: 'county' | 'township' | 'village' | 'facility';
  period: string;
  prevPeriod: string;
  part: 'now' | 'prev' | 'change';
  /** Facilities: over the enrolees of this township (`within`). */
  within?: string;
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
  /** Per cell, where its figure comes from (null: a label, a rank, a verdict). */
  refs?: (FigureRef | null)[][];
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
  /** The data's load time (`asOf`, the county's time zone), version and the batches (files) it reflects. */
  dataVersion: { version: string; asOf: string; batches: number } | null;
  /** 数据截至: the last discharge or ledger date the period's data holds (`2006-12-31`). */
  dataThrough?: string | null;
  /** What the data note says beyond the version: rejected files, quarantined rows, units outside the census. */
  dataNotes?: string[];
  sources: string[];
  /** Set when the period has no data: the report says so instead of empty tables. */
  empty?: string;
}
