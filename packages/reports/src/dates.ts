/** Documents are dated in the county's time zone (spec/indicators.md, "Dates"), not in UTC. */
import type { ReportDating } from './gather.ts';

/** Today in the county's time zone, or the date given. */
export function reportDate(now: Date, dating: ReportDating = {}): string {
  if (dating.date !== undefined) {
    if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(dating.date)) throw new Error(`报告日期应为 YYYY-MM-DD，例如 2007-01-15 (--date; got "${dating.date}")`);
    return dating.date;
  }
  return new Intl.DateTimeFormat('en-CA', { timeZone: dating.timezone ?? 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
