/**
 * A year whose only new data are hospital settlements (an hourly HIS drop) or ledger entries is
 * brought up to date without recomputing every claim: the claims of the persons the new rows
 * touch (their whole household when the policy has household accounts, since a household shares
 * one account) are attributed and compensated again, the other claims are taken as the analytics
 * tables hold them, and the year's facts are computed over the two together. Annual caps and
 * household accounts never reach beyond a person or a household, so this equals a full
 * recomputation (tested against one).
 */
import { randomBytes } from 'node:crypto';
import type { Policy } from '@ncms/rules';
import type { DuckDBConnection } from '@ncms/warehouse';
import { isFamilyAccount, policyModels, yearVars } from '../models/code-models.ts';
import { runModels, type StepTimer } from '../models/run-models.ts';
import { censusYearFor } from '../evaluate/year.ts';
import type { InputPart, YearFingerprint } from './fingerprint.ts';

export interface Recorded {
  context: string;
  parts: InputPart[];
  batches: number[];
}

/** Whether year `now.year` can be brought up to date from its recorded state by recomputing claims only. */
export function claimsOnly(recorded: Recorded | undefined, now: YearFingerprint): boolean {
  if (!recorded || recorded.context !== now.context) return false;
  const key = (p: InputPart) => `${p.kind}/${p.y}`;
  const before = new Map(recorded.parts.map((p) => [key(p), p]));
  const after = new Map(now.parts.map((p) => [key(p), p]));
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(k);
    const b = after.get(k);
    if (a && b && a.n === b.n && a.h === b.h) continue;
    // What changed must be this year's claims or ledger entries of any year up to it.
    if (k === `claims/${now.year}` || k.startsWith('ledger/')) continue;
    return false;
  }
  return true;
}

export interface PatchedClaims {
  /** Every claim of the year with its expected payout: recomputed ones and the rest as held. */
  all: string;
  /** The recomputed claims. */
  changed: string;
  /** The persons whose claims were recomputed (their rows replace theirs in analytics_claims). */
  persons: string;
  /** Under household accounts: the touched households and their new closing balances. */
  households?: { ids: string; closing: string };
  drop(): Promise<void>;
}

export async function patchClaims(
  conn: DuckDBConnection,
  opts: {
    year: number;
    policy: Policy | undefined;
    householdOpening?: string;
    lastBatch: number;
    /** The year's claims as the analytics tables hold them. */
    claimsTable: string;
    onStep?: StepTimer;
  },
): Promise<PatchedClaims> {
  const { year, lastBatch, claimsTable } = opts;
  const token = randomBytes(4).toString('hex');
  const persons = `"patch_persons__${token}"`;
  const all = `"patch_all__${token}"`;
  const changed = `"patch_changed__${token}"`;
  const households = `"patch_households__${token}"`;
  const closing = `"patch_closing__${token}"`;
  const family = isFamilyAccount(opts.policy);
  const made: { name: string; kind: 'TABLE' | 'VIEW' }[] = [];
  const create = async (name: string, sql: string, kind: 'TABLE' | 'VIEW' = 'TABLE') => {
    const t0 = performance.now();
    await conn.run(`CREATE TEMP ${kind} ${name} AS ${sql}`);
    opts.onStep?.(`patch ${name.replace(/__.*$/, '').replace(/^"/, '')}`, performance.now() - t0);
    made.push({ name, kind });
  };
  const drop = async () => {
    for (const t of made.splice(0).reverse()) await conn.run(`DROP ${t.kind} IF EXISTS ${t.name}`);
  };
  try {
    // Rows written since the year was last computed, and the persons they belong to now and belonged to then.
    const touched = `
      WITH delta AS (SELECT claim_id, person_id, scheme_year FROM claims WHERE batch_id > ${lastBatch})
      SELECT person_id FROM delta WHERE scheme_year = ${year}
      UNION
      SELECT a.person_id FROM ${claimsTable} a WHERE a.claim_id IN (SELECT claim_id FROM delta)`;
    if (family) {
      // A household shares one account: every member's claims are taken again, and its balance.
      await create(households, `SELECT DISTINCT household_id FROM enrollment WHERE year = ${year} AND person_id IN (SELECT person_id FROM (${touched}))`);
      await create(persons, `SELECT person_id FROM (${touched}) UNION SELECT person_id FROM enrollment WHERE year = ${year} AND household_id IN (SELECT household_id FROM ${households})`);
    } else await create(persons, touched);
    const inHouseholds = `household_id IN (SELECT household_id FROM ${households})`;
    const run = await runModels(conn, {
      want: family ? ['int_claims_expected', 'int_household_closing'] : ['int_claims_expected'],
      vars: yearVars(year, await censusYearFor(conn, year), opts.policy),
      code: policyModels(opts.policy, opts.householdOpening),
      where: family
        ? { stg_claims: `person_id IN (SELECT person_id FROM ${persons})`, stg_enrollment: inHouseholds, household_opening: inHouseholds }
        : { stg_claims: `person_id IN (SELECT person_id FROM ${persons})` },
      onStep: (step, ms) => opts.onStep?.(`patch ${step}`, ms),
    });
    try {
      await create(changed, `SELECT * FROM ${run.relation('int_claims_expected')}`);
      if (family) await create(closing, `SELECT * FROM ${run.relation('int_household_closing')}`);
    } finally {
      await run.drop();
    }
    // A view: reading the held claims again is cheaper than copying a million of them once more.
    await create(
      all,
      `SELECT * FROM ${claimsTable} WHERE person_id NOT IN (SELECT person_id FROM ${persons})
       UNION ALL BY NAME
       SELECT * FROM ${changed}`,
      'VIEW',
    );
  } catch (e) {
    await drop().catch(() => undefined);
    throw e;
  }
  return { all, changed, persons, households: family ? { ids: households, closing } : undefined, drop };
}
