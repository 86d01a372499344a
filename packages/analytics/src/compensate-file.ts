/**
 * Expected payouts of a claims file (his format) under a policy, without a warehouse: the
 * calculator for a hospital's settlement list. Facility facts come from a registry file, else
 * from the claim's own level / in_county / designated columns. Bad rows are reported with
 * their line and left out; a claim whose facility level cannot be known is reported, not paid 0.
 */
import { claimsForCompensation, facilities as facilitySpec, FileRejection, KINDS } from '@ncms/extracts';
import { readExtract } from '@ncms/pipelines';
import { compensationSql, type Policy } from '@ncms/rules';
import { openScratch, rows } from '@ncms/warehouse';

export interface FileProblem {
  file: string;
  line: number;
  column: string | null;
  reason: string;
}

export interface CompensatedClaim {
  line: number;
  claim_id: string;
  /** Empty when the claim's facility level is unknown (see `unplaced`). */
  expected_payout: string | null;
}

export interface CompensateFileResult {
  claims: CompensatedClaim[];
  /** Rows that could not be read (left out). */
  problems: FileProblem[];
  /** Claims read but not placed at a facility level: no registry entry and no level column. */
  unplaced: FileProblem[];
}

export async function compensateFile(opts: { policy: Policy; claims: string; facilities?: string }): Promise<CompensateFileResult> {
  const db = await openScratch(2);
  try {
    const problems: FileProblem[] = [];
    const read = async (path: string, spec: typeof facilitySpec, table: string) => {
      const r = await readExtract(db.conn, spec, path).catch((e: unknown) => {
        throw e instanceof FileRejection ? new FileRejection(`${path}: ${e.message}`) : e;
      });
      problems.push(...r.problems.map((p) => ({ file: path, line: p.line, column: p.column_name, reason: p.reason })));
      await db.conn.run(`CREATE TEMP TABLE ${table} AS SELECT * FROM extract_rows`);
    };
    await read(opts.claims, claimsForCompensation, 'claims_in');
    const registry = opts.facilities !== undefined;
    if (registry) await read(opts.facilities!, facilitySpec, 'facilities_in');
    // in_county defaults to true at township and county level; designated to true (spec/cli.md).
    await db.conn.run(`CREATE TEMP TABLE claims_placed AS
      SELECT c.__line, c.claim_id, c.person_id, c.visit_type, c.discharge_date, c.total_cost, c.eligible_cost,
        ${registry ? 'coalesce(f.level, c.level)' : 'c.level'} AS level,
        coalesce(${registry ? 'f.in_county, ' : ''}c.in_county, c.level IN ('township', 'county'), false) AS in_county,
        coalesce(${registry ? 'f.designated, ' : ''}c.designated, true) AS designated,
        c.referral, c.single_disease_code, true AS enrolled, c.household_id, c.household_members,
        NULL::DECIMAL(18,2) AS opening_carry, c.facility_code
      FROM claims_in c ${registry ? 'LEFT JOIN facilities_in f USING (facility_code)' : ''}`);
    const claims = await rows<CompensatedClaim & { level: string | null; facility_code: string | null }>(
      db.conn,
      `SELECT c.__line AS line, c.claim_id, c.level, c.facility_code,
              CASE WHEN c.level IS NULL THEN NULL ELSE r.expected_payout END AS expected_payout
       FROM claims_placed c JOIN (${compensationSql(opts.policy, 'claims_placed')}) r USING (claim_id)
       ORDER BY c.__line`,
    );
    const unplaced = claims
      .filter((c) => c.level === null)
      .map((c) => ({
        file: opts.claims,
        line: c.line,
        column: registry ? 'facility_code' : 'level',
        reason: registry
          ? `结算单 ${c.claim_id} 的机构 ${c.facility_code ?? '（空）'} 不在机构目录中，且没有机构级别列：无法计算 (facility not in the registry and no level given)`
          : `结算单 ${c.claim_id} 没有机构级别（${KINDS.facilities.title}或 level 列）：无法计算 (no facility level)`,
      }));
    return { claims: claims.map(({ line, claim_id, expected_payout }) => ({ line, claim_id, expected_payout })), problems, unplaced };
  } finally {
    db.close();
  }
}
