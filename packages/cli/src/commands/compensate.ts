import { resolve } from 'node:path';
import { claimsForCompensation, facilities as facilitySpec, FileRejection } from '@ncms/extracts';
import { readExtract } from '@ncms/pipelines';
import { compensationSql } from '@ncms/rules';
import { openScratch, query } from '@ncms/warehouse';
import { UsageError, option, type Command } from '../cli-kit.ts';
import { readPolicyFile } from '../policy-file.ts';
import { formatRows, parseFormat } from '../output.ts';

/**
 * Claims as the engine wants them: facility facts from the registry file when given,
 * else from the claim's own columns (in_county defaults to true at township and county level).
 */
const INPUT = (withRegistry: boolean) => `(
  SELECT c.__line, c.claim_id, c.person_id, c.visit_type, c.discharge_date, c.total_cost, c.eligible_cost,
    ${withRegistry ? 'coalesce(f.level, c.level)' : 'c.level'} AS level,
    coalesce(${withRegistry ? 'f.in_county, ' : ''}c.in_county, c.level IN ('township', 'county'), false) AS in_county,
    coalesce(${withRegistry ? 'f.designated, ' : ''}c.designated, true) AS designated,
    c.referral, c.single_disease_code, true AS enrolled, c.household_id, c.household_members,
    NULL::DECIMAL(18,2) AS opening_carry
  FROM claims_in c ${withRegistry ? 'LEFT JOIN facilities_in f USING (facility_code)' : ''})`;

export const compensate: Command = {
  name: 'compensate',
  summary: '按政策计算结算单的应补偿金额，无需数据库 (expected payouts for a claims file)',
  usage: 'ncms compensate --policy FILE --claims FILE [--facilities FILE] [--format csv|json]',
  options: { policy: { type: 'string' }, claims: { type: 'string' }, facilities: { type: 'string' }, format: { type: 'string' } },
  async run({ values }) {
    const problems: string[] = [];
    if (!values.policy) problems.push('--policy FILE 是必需的 (the year\'s policy file)');
    if (!values.claims) problems.push('--claims FILE 是必需的 (a claims file in the his format)');
    const format = option(problems, () => parseFormat(values.format), 'csv');
    if (problems.length) throw new UsageError(problems);
    const policy = await readPolicyFile(resolve(String(values.policy)));
    const db = await openScratch(2);
    try {
      const read = async (spec: typeof facilitySpec, path: string, table: string) => {
        let r;
        try {
          r = await readExtract(db.conn, spec, path);
        } catch (e) {
          if (e instanceof FileRejection) throw new UsageError([`${path}: ${e.message}`]);
          throw e;
        }
        if (r.problems.length)
          throw new UsageError(r.problems.map((p) => `${path}:${p.line}${p.column_name ? ` [${p.column_name}]` : ''} ${p.reason}`));
        await db.conn.run(`CREATE TEMP TABLE ${table} AS SELECT * FROM extract_rows`);
      };
      await read(claimsForCompensation, resolve(String(values.claims)), 'claims_in');
      if (values.facilities) await read(facilitySpec, resolve(String(values.facilities)), 'facilities_in');
      const rows = await query<{ claim_id: string; expected_payout: string }>(
        db.conn,
        `SELECT c.claim_id, r.expected_payout::VARCHAR AS expected_payout
         FROM ${INPUT(values.facilities !== undefined)} c JOIN (${compensationSql(policy, INPUT(values.facilities !== undefined))}) r USING (claim_id)
         ORDER BY c.__line`,
      );
      process.stdout.write(formatRows(rows, ['claim_id', 'expected_payout'], format));
      return 0;
    } finally {
      db.close();
    }
  },
};
