/** A report made and rendered: the one path every caller (CLI, page, API, sign-off) takes. */
import type { DuckDBConnection } from '@ncms/warehouse';
import { composeReport } from './compose.ts';
import { gatherReport, type ReportDating, type ReportRequest } from './gather.ts';
import type { Report } from './model.ts';
import { reportDocx } from './render/docx.ts';
import { reportPdf } from './render/pdf.ts';
import { reportXlsx } from './render/xlsx.ts';

export const REPORT_FORMATS = ['pdf', 'docx', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The report of a request, as a document model, dated in the county's time zone (or on `dating.date`). */
export async function buildReport(conn: DuckDBConnection, req: ReportRequest, now?: Date, dating?: ReportDating): Promise<Report> {
  return composeReport(await gatherReport(conn, req), now, dating);
}

export function renderReport(r: Report, format: ReportFormat): Promise<Buffer> {
  if (format === 'pdf') return reportPdf(r);
  if (format === 'docx') return reportDocx(r);
  return reportXlsx(r);
}
