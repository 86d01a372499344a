/**
 * The public disclosure list (公示) as a printable A4 document: title, the notice, the list
 * (names and ID numbers masked), the totals, a line for the complaints telephone the office
 * writes in, and the signature. Same fonts and table rules as the report (GB/T 9704).
 */
import type { Disclosure } from '@ncms/analytics';
import { dateZh, money } from '@ncms/rules';
import { reportDate } from '../dates.ts';
import { esc, REPORT_CSS } from './html.ts';

export const DISCLOSURE_CSS = `${REPORT_CSS}
.ncms-report.disclosure { max-width: none; }
.ncms-report.disclosure table { font-size: 10pt; }
.ncms-report.disclosure td.c { text-align: center; white-space: nowrap; }
.ncms-report.disclosure tfoot td { font-weight: 700; }
.ncms-report.disclosure .blank { display: inline-block; min-width: 8em; border-bottom: 0.5pt solid #000; }
`;

export function disclosureTitle(d: Disclosure): string {
  return `${d.township.name ?? d.township.code}${d.village.name ?? d.village.code}新型农村合作医疗住院补偿公示`;
}

/** The list's body (inside a page or the printable document), dated today in the county's `timezone`, not in UTC. */
export function disclosureBodyHtml(d: Disclosure, today = new Date(), timezone?: string): string {
  const [y, m] = d.month.split('-');
  const period = `${y}年${Number(m)}月`;
  const rows = d.rows
    .map(
      (r, i) =>
        `<tr><td class="c">${i + 1}</td><td class="c">${esc(r.name ?? '')}</td><td class="c">${esc(r.person_id)}</td><td>${esc(r.facility)}</td>` +
        `<td class="c">${esc(r.admission_date ?? '—')}</td><td class="c">${esc(r.discharge_date)}</td><td class="num">${r.days}</td>` +
        `<td class="num">${money(r.total_cost)}</td><td class="num">${money(r.reimbursed)}</td></tr>`,
    )
    .join('');
  const list = d.rows.length
    ? `<p class="unit">单位：元、天</p><table><thead><tr><th>序号</th><th>姓名</th><th>身份证号</th><th>就诊机构</th><th>入院日期</th><th>出院日期</th><th>住院天数</th><th>医疗总费用</th><th>补偿金额</th></tr></thead>
<tbody>${rows}</tbody><tfoot><tr><td class="c" colspan="7">合计（${d.totals.stays} 人次）</td><td class="num">${money(d.totals.total_cost)}</td><td class="num">${money(d.totals.reimbursed)}</td></tr></tfoot></table>`
    : `<p class="empty">${period}本村没有出院并获得住院补偿的参合人员。</p>`;
  return `<article class="ncms-report disclosure"><h1>${esc(disclosureTitle(d))}</h1><p class="subtitle">（${period}出院）</p>
<p>根据${esc(d.county ?? '')}新型农村合作医疗补偿方案，现将本村参合农民${period}出院的住院补偿情况公示如下，公示期七天。如有异议，请在公示期内向乡镇合作医疗管理站反映。</p>
${list}
<p class="closing">监督电话：<span class="blank"></span>\u3000\u3000公示日期：${esc(dateZh(reportDate(today, { timezone })))}</p>
<p class="signature">${esc(d.township.name ?? '')}合作医疗管理站<br>${esc(d.village.name ?? '')}村民委员会</p></article>`;
}

export function disclosureHtml(d: Disclosure, today = new Date(), timezone?: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(disclosureTitle(d))}</title><style>${DISCLOSURE_CSS}</style></head><body>${disclosureBodyHtml(d, today, timezone)}</body></html>`;
}

