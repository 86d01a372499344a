/**
 * A year computed from the core tables alone, with no analytics table read: every earlier year
 * is computed first (the cumulative surplus sums them; household accounts carry balances from
 * one year into the next). The reference the prepared tables are tested against, and what
 * `--fresh` and a one-off policy use.
 */
import { randomBytes } from 'node:crypto';
import type { Policy } from '@ncms/rules';
import type { DuckDBConnection } from '@ncms/warehouse';
import { isFamilyAccount } from '../models/code-models.ts';
import { analyticsYears, computeYear, type YearResult } from './year.ts';
import { EARLIER_FACTS } from './facts.ts';

export type PolicyFor = (year: number) => Policy | undefined;

/** The opening balances of year y's household accounts: last year's closing, while both years use family accounts. */
export function householdOpeningSql(closing: string, year: number, policyFor: PolicyFor): string | undefined {
  return isFamilyAccount(policyFor(year)) && isFamilyAccount(policyFor(year - 1))
    ? `SELECT household_id, closing_fen FROM ${closing} WHERE year = ${year - 1}`
    : undefined;
}

/** The year's results computed from scratch (temp tables of `conn`; the caller drops them). */
export async function computeFresh(conn: DuckDBConnection, year: number, policyFor: PolicyFor, openingBalance: string): Promise<YearResult> {
  const token = randomBytes(4).toString('hex');
  const facts = `"fresh_facts__${token}"`;
  const closing = `"fresh_closing__${token}"`;
  const years = (await analyticsYears(conn)).filter((y) => y < year);
  let created = false;
  try {
    for (const y of years) {
      const r = await computeYear(conn, {
        year: y, policy: policyFor(y), openingBalance,
        earlierFacts: created ? facts : undefined,
        householdOpening: created ? householdOpeningSql(closing, y, policyFor) : undefined,
      });
      // Only what later years read of earlier ones is kept (years differ in their policy's columns).
      const kept = `SELECT year, level, code, ${EARLIER_FACTS.join(', ')} FROM ${r.tables.facts}`;
      if (!created) {
        await conn.run(`CREATE TEMP TABLE ${facts} AS ${kept}; CREATE TEMP TABLE ${closing} AS SELECT * FROM ${r.tables.household_closing}`);
        created = true;
      } else {
        await conn.run(`INSERT INTO ${facts} BY NAME ${kept}; INSERT INTO ${closing} BY NAME SELECT * FROM ${r.tables.household_closing}`);
      }
      await r.drop();
    }
    return await computeYear(conn, {
      year, policy: policyFor(year), openingBalance,
      earlierFacts: created ? facts : undefined,
      householdOpening: created ? householdOpeningSql(closing, year, policyFor) : undefined,
    });
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${facts}; DROP TABLE IF EXISTS ${closing}`);
  }
}
