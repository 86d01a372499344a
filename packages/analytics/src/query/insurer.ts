/**
 * The insurer's monthly pre-settlement (`--series insurer`, spec: insurer_monthly): the county's
 * premium from the indicator table and its pooled payouts by discharge month, run through the
 * rules' exact arithmetic.
 */
import { fen, insurerMonths, yuan, type Policy } from '@ncms/rules';
import { rows, type DuckDBConnection } from '@ncms/warehouse';
import { QueryError } from './errors.ts';
import { PREPARED, type IndicatorTable, type Source } from './indicators.ts';

export const INSURER_MONTH_COLUMNS = ['year', 'level', 'division_code', 'name', 'month', 'premium_to_date', 'pooled_payouts_to_date', 'balance', 'presettled_to_date'];

export async function readInsurerMonthly(conn: DuckDBConnection, year: number, policy: Policy | undefined, source: Source = PREPARED): Promise<IndicatorTable> {
  const insurer = policy?.insurer;
  if (!insurer) throw new QueryError('series', `${year} 年的政策没有商保经办（insurer）设置 (the year's policy has no insurer block)`);
  const [county] = await rows<{ code: string; name: string | null; premium: string | null }>(
    conn,
    `SELECT division_code AS code, name, insurer_premium::VARCHAR AS premium FROM ${source.indicators} WHERE year = ${year} AND level = 'county'`,
  );
  if (!county?.premium) return { columns: INSURER_MONTH_COLUMNS, rows: [], notes: [] };
  const months = await rows<{ m: number; paid: string }>(
    conn,
    `SELECT CAST(right(period, 2) AS INTEGER) AS m, pooled_payouts::VARCHAR AS paid FROM ${source.periods}
     WHERE year = ${year} AND level = 'county' AND period_type = 'month' AND left(period, 4) = '${year}'`,
  );
  const paid = Array.from({ length: 12 }, (_, i) => fen(months.find((x) => x.m === i + 1)?.paid ?? '0'));
  const out = insurerMonths(insurer, fen(county.premium), paid).map((m) => ({
    year,
    level: 'county',
    division_code: county.code,
    name: county.name,
    month: `${year}-${String(m.month).padStart(2, '0')}`,
    premium_to_date: yuan(m.premium_to_date),
    pooled_payouts_to_date: yuan(m.pooled_payouts_to_date),
    balance: yuan(m.balance),
    presettled_to_date: yuan(m.presettled_to_date),
  }));
  return { columns: INSURER_MONTH_COLUMNS, rows: out, notes: ['商保经办按月预结为全县数字 (the insurer\'s series is the county\'s)'] };
}
