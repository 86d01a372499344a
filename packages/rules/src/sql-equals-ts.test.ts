/**
 * One definition, two executions: random valid policies and claim sets, compensated by
 * the TypeScript engine and by the compiled SQL in a real DuckDB, must agree to the fen.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { query } from '@ncms/warehouse';
import { useScratch } from './test-support/scratch.ts';
import { compensate, compensationSql, parsePolicy, yuan, type Claim, type Policy } from './index.ts';

const db = useScratch(1);

const yuanNum = (maxFen: number) => fc.integer({ min: 0, max: maxFen }).map((f) => f / 100);
const rate = fc.integer({ min: 0, max: 10000 }).map((x) => x / 10000);
const factor = fc.integer({ min: 0, max: 15000 }).map((x) => x / 10000);
const optCap = fc.option(yuanNum(3_000_000), { nil: undefined });

const levelRule = fc
  .record({
    deductible: yuanNum(200_000),
    mode: fc.constantFrom('whole', 'banded'),
    edges: fc.uniqueArray(fc.integer({ min: 1, max: 6_000_000 }), { maxLength: 4 }),
    rates: fc.array(rate, { minLength: 5, maxLength: 5 }),
    factor: fc.option(factor, { nil: undefined }),
    claim_cap: optCap,
    annual_cap: optCap,
  })
  .map(({ edges, rates, ...r }) => {
    const ups = [...edges].sort((a, b) => a - b).map((f) => f / 100);
    return { ...r, bands: [...ups.map((upTo, i) => ({ upTo, rate: rates[i]! })), { upTo: null, rate: rates[4]! }] };
  });

const policyArb = fc
  .record({
    levels: fc.record(
      { township: levelRule, county: levelRule, city: levelRule, provincial: levelRule, non_designated: levelRule },
      { requiredKeys: [] },
    ),
    annual_cap: optCap,
    unreferred_factor: fc.option(factor, { nil: undefined }),
    single_disease: fc.array(
      fc.record({ code: fc.constantFrom('K35', 'O80'), levels: fc.subarray(['township', 'county', 'city', 'non_designated'] as const, { minLength: 1 }), fund_pays: yuanNum(200_000) }),
      { maxLength: 2 },
    ),
    outpatient: fc.option(
      fc.oneof(
        fc.record({ mode: fc.constant('ratio' as const), rate, per_visit_cap: optCap, annual_cap: optCap, levels: fc.subarray(['township', 'county', 'city', 'non_designated'] as const) }),
        fc.record({ mode: fc.constant('family_account' as const), levels: fc.subarray(['township', 'county', 'city'] as const) }),
      ),
      { nil: undefined },
    ),
    perCapita: fc.option(yuanNum(5_000), { nil: undefined }),
  })
  .map((p) =>
    parsePolicy({
      scheme: 'prop',
      year: 2005,
      funding: { standards: { general: { individual: 10 } }, ...(p.perCapita !== undefined ? { family_account_per_capita: p.perCapita } : {}) },
      inpatient: { levels: p.levels, annual_cap: p.annual_cap, unreferred_factor: p.unreferred_factor },
      single_disease: p.single_disease,
      ...(p.outpatient ? { outpatient: p.outpatient } : {}),
    }),
  );

const HOUSEHOLDS: Record<string, { members: number; carry: string }> = { H1: { members: 3, carry: '5.50' }, H2: { members: 1, carry: '0.00' } };

const claimArb = fc
  .record({
    person: fc.constantFrom('A', 'B', 'C'),
    household: fc.constantFrom('H1', 'H2'),
    visit_type: fc.constantFrom('inpatient', 'outpatient'),
    day: fc.integer({ min: 1, max: 6 }),
    total: fc.integer({ min: 0, max: 8_000_000 }),
    eligibleShare: fc.integer({ min: 0, max: 100 }),
    level: fc.constantFrom('township', 'county', 'city', 'provincial', null),
    in_county: fc.boolean(),
    designated: fc.constantFrom(true, true, true, false),
    referral: fc.boolean(),
    sd: fc.constantFrom(null, 'K35', ' k35', 'O80', 'X99'),
    enrolled: fc.constantFrom(true, true, true, false),
  })
  .map((c) => ({ ...c, eligible: Math.floor((c.total * c.eligibleShare) / 100) }));

const claimsArb = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Za-z0-9一二]{1,4}$/), claimArb), { minLength: 1, maxLength: 25, selector: ([id]) => id }).map((xs) =>
  xs.map(([id, c]): Claim => ({
    claim_id: id,
    person_id: c.person,
    visit_type: c.visit_type as Claim['visit_type'],
    discharge_date: `2005-03-0${c.day}`,
    total_cost: yuan(BigInt(c.total)),
    eligible_cost: yuan(BigInt(c.eligible)),
    level: c.level as Claim['level'],
    in_county: c.in_county,
    designated: c.designated,
    referral: c.referral,
    single_disease_code: c.sd,
    enrolled: c.enrolled,
    household_id: c.household,
    household_members: HOUSEHOLDS[c.household]!.members,
    opening_carry: HOUSEHOLDS[c.household]!.carry,
  })),
);

const sqlText = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);

async function viaSql(policy: Policy, claims: Claim[]): Promise<Record<string, string>> {
  const rows = claims
    .map((c) =>
      `(${sqlText(c.claim_id)}, ${sqlText(c.person_id)}, ${sqlText(c.visit_type)}, DATE '${c.discharge_date}', ${c.total_cost}::DECIMAL(18,2), ${c.eligible_cost}::DECIMAL(18,2),
        ${sqlText(c.level)}, ${c.in_county}, ${c.designated}, ${c.referral}, ${sqlText(c.single_disease_code ?? null)}, ${c.enrolled ?? true},
        ${sqlText(c.household_id ?? null)}, ${c.household_members ?? 'NULL'}, ${c.opening_carry ?? 'NULL'}::DECIMAL(18,2))`,
    )
    .join(',\n');
  const input = `(SELECT * FROM (VALUES ${rows}) AS t(claim_id, person_id, visit_type, discharge_date, total_cost, eligible_cost, level, in_county, designated, referral, single_disease_code, enrolled, household_id, household_members, opening_carry))`;
  const out = await query<{ claim_id: string; expected_payout: string }>(db.conn, `SELECT claim_id, expected_payout::VARCHAR AS expected_payout FROM (${compensationSql(policy, input)})`);
  return Object.fromEntries(out.map((r) => [r.claim_id, r.expected_payout]));
}

describe('compensation: TypeScript engine = compiled SQL', () => {
  it('agrees to the fen on random policies and claims', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, claimsArb, async (policy, claims) => {
        const ts = Object.fromEntries([...compensate(policy, claims)].map(([k, v]) => [k, yuan(v)]));
        expect(await viaSql(policy, claims)).toEqual(ts);
      }),
      { numRuns: 1500 },
    );
  }, 300_000);
});
