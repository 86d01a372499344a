/**
 * The report as one HTML page laid out after GB/T 9704-2012 (design.md): A4, top margin 37 mm,
 * binding margin 28 mm, title in 22 pt Song, body in 16 pt FangSong with two-character indents,
 * `一、` headings in Hei, tables numbered with their title above, unit at the top right and source
 * below, rows never split across pages. The 报告 page shows it; Chromium prints it to PDF.
 */
import type { Block, Report, ReportTable } from '../model.ts';
import { chartSvg } from './chart-svg.ts';

/**
 * TrueType-outline CJK faces embed in Chromium's PDF as CID subsets (Noto CJK's CFF collections
 * become Type 3: architecture.md); weights they lack would be synthesised (Type 3 again), so
 * headings take the Hei face at normal weight instead of a bold Song.
 */
const SONG = '"AR PL UMing CN"';
const HEI = '"WenQuanYi Micro Hei"';

/** The printed report's page numbers (GB/T 9704: odd pages at the right, even at the left, a character in). */
const PAGE_NUMBERS_CSS = `
@page :right { @bottom-right { content: "— " counter(page) " —"; font-family: ${SONG}; font-size: 14pt; padding-right: 1em; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font-family: ${SONG}; font-size: 14pt; padding-left: 1em; } }
`;

export const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export const REPORT_CSS = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
.ncms-report { font-family: ${SONG}, "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 16pt; line-height: 1.75; color: #000; max-width: 156mm; margin: 0 auto; }
.ncms-report h1 { font-family: ${SONG}, "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; font-weight: normal; font-size: 22pt; text-align: center; margin: 0 0 4pt; line-height: 1.4; }
.ncms-report .subtitle { text-align: center; font-family: "AR PL UKai CN", "AR PL KaitiM GB", "KaiTi", ${SONG}, serif; margin: 0 0 18pt; }
.ncms-report h2 { font-family: ${HEI}, "Noto Sans CJK SC", "Source Han Sans SC", "SimHei", sans-serif; font-weight: normal; font-size: 16pt; margin: 14pt 0 4pt; text-indent: 2em; break-after: avoid; }
.ncms-report .keep { break-inside: avoid; }
.ncms-report p { text-indent: 2em; margin: 0; text-align: justify; }
.ncms-report figure { margin: 10pt 0; break-inside: avoid; }
.ncms-report figure.long { break-inside: auto; }
.ncms-report .caption { font-family: ${HEI}, "Noto Sans CJK SC", "Source Han Sans SC", "SimHei", sans-serif; font-size: 12pt; text-align: center; margin: 8pt 0 2pt; break-after: avoid; }
.ncms-report .unit { font-size: 10.5pt; text-align: right; margin: 0; break-after: avoid; }
.ncms-report table { width: 100%; border-collapse: collapse; font-size: 10.5pt; line-height: 1.4; font-family: ${SONG}, "Noto Serif CJK SC", "Source Han Serif SC", serif; }
.ncms-report table.wide { font-size: 9pt; }
/* a header never breaks inside a word ("住院补/偿"); the label column takes what is left */
.ncms-report th { word-break: keep-all; }
.ncms-report table.wide th { font-size: 8.5pt; padding: 2pt 2pt; }
.ncms-report th, .ncms-report td { border: 0.5pt solid #000; padding: 2pt 4pt; }
.ncms-report th { font-family: ${HEI}, "Noto Sans CJK SC", sans-serif; font-weight: normal; text-align: center; background: #f2f2f2; }
.ncms-report td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ncms-report tr { break-inside: avoid; }
.ncms-report thead { display: table-header-group; }
.ncms-report .source { font-size: 10.5pt; margin: 2pt 0 0; text-indent: 0; }
.ncms-report .chart svg { width: 100%; height: auto; }
.ncms-report .chart svg text { font-family: ${HEI} !important; stroke: none !important; } /* a stroked (outlined) label is embedded as Type 3 */
.ncms-report .empty { margin: 40pt 0; text-align: center; text-indent: 0; }
.ncms-report .closing { margin-top: 24pt; text-indent: 0; }
.ncms-report .signature { text-align: right; margin-top: 28pt; text-indent: 0; padding-right: 2em; break-before: avoid; }
.ncms-report .data-note p { font-size: 12pt; text-indent: 0; }
`;

function tableHtml(t: ReportTable): string {
  const head = t.columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${r.map((c, i) => `<td class="${(t.kinds[i] ?? c.kind) === 'text' ? 'text' : 'num'}">${esc(c.text)}</td>`).join('')}</tr>`)
    .join('');
  // a long table may run on to the next page (rows never split, the header repeats) rather than leave half a page empty
  return `<figure class="table${t.rows.length > 12 ? ' long' : ''}"><p class="caption">表${t.no}\u3000${esc(t.title)}</p><p class="unit">${esc(t.unit)}</p>
<table${t.columns.length > 6 ? ' class="wide"' : ''}><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>
<p class="source">${esc(t.source)}${t.note ? `${esc(t.note)}` : ''}</p></figure>`;
}

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'p':
      return `<p>${esc(b.text)}</p>`;
    case 'table':
      return tableHtml(b.table);
    case 'chart':
      return `<figure class="chart">${chartSvg(b.chart)}<p class="caption">图${b.chart.no}\u3000${esc(b.chart.title)}</p></figure>`;
  }
}

/** The report's body (inside a page or a printable document). */
export function reportBodyHtml(r: Report): string {
  const parts = [`<h1>${esc(r.title)}</h1>`, `<p class="subtitle">${esc(r.subtitle)}</p>`];
  if (r.empty) parts.push(`<p class="empty">${esc(r.empty)}</p>`);
  // a heading never ends a page: it stays with its first paragraph
  for (const s of r.sections) {
    const [first, ...rest] = s.blocks;
    if (first?.kind === 'p') parts.push(`<div class="keep"><h2>${esc(s.heading)}</h2>${blockHtml(first)}</div>`, ...rest.map(blockHtml));
    else parts.push(`<h2>${esc(s.heading)}</h2>`, ...s.blocks.map(blockHtml));
  }
  parts.push(`<div class="data-note closing"><p>数据说明：${esc(dataNote(r))}</p><p>数据来源：${esc(r.sources.join('；'))}。</p></div>`);
  parts.push(`<p class="signature">${esc(r.office)}<br>${esc(r.dateZh)}</p>`);
  return `<article class="ncms-report">${parts.join('\n')}</article>`;
}

/**
 * The data note, for every format: 数据截至 the period's last discharge or ledger date, the load
 * time apart, the version, then rejected files, quarantined rows and units outside the census.
 */
export function dataNote(r: Report): string {
  if (!r.dataVersion) return '本期尚无数据版本（未载入数据）';
  const through = r.dataThrough ? `本报告数据截至 ${r.dataThrough}（本期最后的出院或台账日期）；` : '本期尚无结算或台账记录；';
  return [`${through}数据于 ${r.dataVersion.asOf} 载入计算，数据版本 ${r.dataVersion.version}，反映已载入的 ${r.dataVersion.batches} 个数据文件`, ...(r.dataNotes ?? [])].join('。');
}

/** A standalone document (for printing to PDF). */
export function reportHtml(r: Report): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(r.title)}</title><style>${REPORT_CSS}${PAGE_NUMBERS_CSS}</style></head><body>${reportBodyHtml(r)}</body></html>`;
}
