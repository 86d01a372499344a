// The inspection report (督查/汇报材料): figures from the analytics tables, one document model,
// rendered as HTML (the page), PDF (Chromium), DOCX and XLSX; and its sign-off and archive.
export { buildReport, renderReport, REPORT_FORMATS, REPORT_TYPES, type ReportFormat } from './build.ts';
export { composeReport, periodLabel, reportDate, TABLES } from './compose.ts';
export { gatherReport, periodDays, samePeriodLastYear, type ReportRequest, type ReportData, type ReportDating } from './gather.ts';
export type { Report, ReportSection, ReportTable, ReportChart, Block, Cell, CellKind, FigureRef } from './model.ts';
export { reportHtml, reportBodyHtml, REPORT_CSS, dataNote } from './render/html.ts';
export { reportPdf, closeBrowser, NoBrowserError } from './render/pdf.ts';
export { reportDocx } from './render/docx.ts';
export { reportXlsx } from './render/xlsx.ts';
export * from './signoff/index.ts';
export { disclosureHtml, disclosureBodyHtml, disclosureTitle, DISCLOSURE_CSS } from './render/disclosure.ts';
export { htmlPdf } from './render/pdf.ts';
