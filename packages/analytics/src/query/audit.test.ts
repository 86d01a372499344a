import { describe, expect, it } from 'vitest';
import { useLoadedCounty } from '../test-support/loaded-county.ts';
import { parsePolicy } from '@ncms/rules';
import { auditSummary, readAudit, readAuditByFacility, readHouseholdAccounts, readTopDiagnoses, simulate, withSource } from '../index.ts';

// IDs with check characters computed by hand (GB 11643 weights).
const A = '11010519491231002X';
const B = '440524188001010014';
const X = '410523198001010011'; // never enrolled

const policy = (year: number) =>
  parsePolicy({
    scheme: 't',
    year,
    funding: { standards: { general: { individual: 10 } }, family_account_per_capita: 10 },
    inpatient: { levels: { township: { deductible: 100, mode: 'whole', bands: [{ upTo: null, rate: 0.5 }] } }, annual_cap: 1000 },
    outpatient: { mode: 'family_account', levels: ['township'] },
    targets: { max_drug_share: 0.4 },
  });

const wh = useLoadedCounty((put) => {
  put('facilities/f.csv', 'facility_code,facility_name,level,in_county\nH1,卫生院,township,1\n');
  const roll = (y: number) => `${y},${A},甲,H1,410523100200\n${y},${B},乙,H1,410523100200\n`;
  put('enrollment/e.csv', 'year,person_id,name,household_id,division_code\n' + roll(2004) + roll(2005));
  put(
    'his/h.csv',
    'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,drug_cost,eligible_cost,reimbursed,diagnosis_code,diagnosis_name\n' +
      `O1,${A},H1,门诊,2004-01-10,,5.00,,5.00,5.00,,\n` +
      `O2,${B},H1,门诊,2005-02-01,,40.00,,40.00,35.00,,\n` +
      `C1,${A},H1,住院,2005-03-01,2005-03-05,500.00,100.00,500.00,200.00,J18.9,肺炎\n` +
      `C2,${A},H1,住院,2005-03-10,2005-03-15,2100.00,200.00,2100.00,900.00,J18.9,社区获得性肺炎\n` +
      `C3,${B},H1,住院,2005-05-01,2005-05-03,300.00,250.00,300.00,90.00,I10,高血压\n` +
      `C4,${X},H1,住院,2005-06-01,2005-06-03,300.00,0.00,300.00,50.00,J18.9,肺炎\n` +
      `C5,${A},HX,住院,2005-03-20,2005-03-22,300.00,,300.00,0.00,J18.9,肺炎\n`,
  );
}, [policy(2004), policy(2005)]);

const listed = (rows: { claim_id: string; expected: string; settled: string; difference: string; findings: string[] }[]) =>
  rows.map((r) => [r.claim_id, r.expected, r.settled, r.difference, r.findings.join(';')]);

describe('audit', () => {
  it('lists discrepancies and findings of a year, computed by hand', async () => {
    const { rows, total } = await readAudit(wh.conn, { year: 2005, sort: 'discharge', limit: 'all' });
    const summary = await auditSummary(wh.conn, 2005, 0.4);
    expect(total).toBe(4);
    expect(listed(rows)).toEqual([
      // C2: 0.5 × 2000 = 1000, the annual cap 1000 leaves 800 after C1's 200
      ['C2', '800.00', '900.00', '100.00', 'overpaid'],
      ['C5', '0.00', '0.00', '0.00', 'unknown_facility'],
      // C3: 0.5 × 200 = 100
      ['C3', '100.00', '90.00', '-10.00', 'underpaid'],
      ['C4', '0.00', '50.00', '50.00', 'overpaid;non_enrolled'],
    ]);
    // O2 is absent: 2005 opens at 2 × 10 + (2004: 20 − 5 = 15) = 35, as settled.
    expect(rows.find((r) => r.claim_id === 'O2')).toBeUndefined();
    expect(rows[0]!.person_id).toBe('110105********002X');
    expect(summary).toEqual({
      claims: 6,
      underpaid: { claims: 1, refund_due: '10.00' },
      overpaid: { claims: 2, amount: '150.00' },
      non_enrolled_claims: { claims: 1, reimbursed: '50.00' },
      unknown_facility_claims: 1,
      // H1 in May: 250 / 300
      drug_share_breaches: [{ facility_code: 'H1', month: '2005-05', drug_share: 250 / 300 }],
    });
  });

  it('pages and sorts the list, largest difference first, and filters by facility and township', async () => {
    const page = await readAudit(wh.conn, { year: 2005, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.rows.map((r) => r.claim_id)).toEqual(['C2', 'C4']);
    expect((await readAudit(wh.conn, { year: 2005, limit: 2, offset: 2 })).rows.map((r) => r.claim_id)).toEqual(['C5', 'C3']);
    expect((await readAudit(wh.conn, { year: 2005, sort: 'difference', limit: 1 })).rows.map((r) => r.claim_id)).toEqual(['C3']);
    expect((await readAudit(wh.conn, { year: 2005, facility: 'HX' })).rows.map((r) => r.claim_id)).toEqual(['C5']);
    // C4's person is not enrolled: no township
    expect((await readAudit(wh.conn, { year: 2005, township: '410523100' })).total).toBe(3);
    expect((await readAudit(wh.conn, { year: 2005, personalData: true, limit: 1 })).rows[0]!.person_id).toBe(A);
    await expect(readAudit(wh.conn, { year: 2005, limit: 5000 })).rejects.toThrow(/limit/);
    // A page past the end is empty but still says how many there are.
    expect(await readAudit(wh.conn, { year: 2005, offset: 10 })).toEqual({ total: 4, rows: [] });
  });

  it('without the earlier policy, the household account starts empty and O2 shows as overpaid', async () => {
    const rows = await withSource(wh.conn, 2005, { mode: 'fresh', openingBalance: '0', policyFor: (y) => (y === 2005 ? policy(y) : undefined) }, async (src) =>
      (await readAudit(wh.conn, { year: 2005, limit: 'all' }, src)).rows,
    );
    expect(rows.find((r) => r.claim_id === 'O2')).toMatchObject({ expected: '20.00', difference: '15.00', findings: ['overpaid'] });
  });
});

describe('simulate', () => {
  it('re-runs the year under a new policy and projects the fund, computed by hand', async () => {
    const generous = parsePolicy({
      scheme: 'new',
      year: 2006,
      funding: { standards: { general: { individual: 10, central: 20 } } },
      inpatient: { levels: { township: { deductible: 0, mode: 'banded', bands: [{ upTo: null, rate: 1 }] } } },
      targets: { max_surplus_rate: 0.1, deficit_warning: 1000 },
    });
    const s = await simulate(wh.conn, 2005, generous, '0.1', (y) => (y >= 2004 ? policy(y) : undefined));
    // Enrolees' claims: C1 500 + C2 2100 + C3 300 paid in full, O2 (no outpatient rule) and C5 (unknown facility) 0;
    // C4 is not an enrolee's. Settled by the pool: 200 + 900 + 90 + 0 = 1190 — O2's 35 came from the household
    // account under the county's 2005 policy, so it is not the pool's.
    expect(s).toEqual({
      year: 2005,
      enrollees: 2,
      claims: 5,
      settled: '1190.00',
      simulated: '2900.00',
      coefficient: 2.437, // 2900 ÷ 1190 = 2.43697… → 2.4370
      base_per_capita: '595.00', // 1190 ÷ 2
      adjusted_per_capita: '1450.02', // 595 × 2.4370 = 1450.015
      growth: '0.1000',
      growth_source: { given: true },
      per_capita_spending: '1595.02', // 1450.02 × 1.1 = 1595.022
      suggested_insurer_target: '1595',
      projected_funds: '60.00', // 2 × (10 + 20); the new policy keeps no household accounts
      projected_spending: '3190.04',
      projected_balance: '-3130.04',
      projected_surplus_rate: -3130.04 / 60,
      // the catalogue's warnings: spending beyond the funds, and a projected deficit beyond 1000
      warnings: ['surplus_negative', 'projected_deficit'],
    });
    // without a growth rate, the loaded years' eligible cost per capita growth: 2004's pool paid no eligible
    // cost (O1 was the household account's), so 2005 has no growth figure and G = 0, said so
    const derived = await simulate(wh.conn, 2005, generous, undefined, (y) => (y >= 2004 ? policy(y) : undefined));
    expect(derived).toMatchObject({ growth: '0.0000', growth_source: { given: false, years: [] }, per_capita_spending: '1450.02' });
  });

  it('sums the audit per facility, the largest refund due first', async () => {
    expect(await readAuditByFacility(wh.conn, { year: 2005 })).toEqual([
      // C2 overpaid 100, C3 underpaid 10, C4 overpaid 50 (and not enrolled)
      { facility_code: 'H1', facility_name: '卫生院', claims: 3, underpaid_claims: 1, refund_due: '10.00', overpaid_claims: 2, overpaid_amount: '150.00', other_findings: 0 },
      { facility_code: 'HX', facility_name: null, claims: 1, underpaid_claims: 0, refund_due: '0.00', overpaid_claims: 0, overpaid_amount: '0.00', other_findings: 1 },
    ]);
    // Inside the township C4 (no enrolment, no village) drops out.
    expect((await readAuditByFacility(wh.conn, { year: 2005, within: '410523100' }))[0]).toMatchObject({ facility_code: 'H1', claims: 2, overpaid_claims: 1, overpaid_amount: '100.00' });
  });

  it('ranks the diagnoses of enrolees\' stays, each named by its most frequent spelling', async () => {
    expect(await readTopDiagnoses(wh.conn, { year: 2005 })).toEqual([
      // C1, C2, C5 (C4's person is not enrolled): 500 + 2100 + 300, paid 200 + 900 + 0
      { diagnosis_code: 'J18.9', diagnosis_name: '肺炎', stays: 3, cost: '2900.00', payout: '1100.00' },
      { diagnosis_code: 'I10', diagnosis_name: '高血压', stays: 1, cost: '300.00', payout: '90.00' },
    ]);
    expect(await readTopDiagnoses(wh.conn, { year: 2005, limit: 1 })).toHaveLength(1);
    expect(await readTopDiagnoses(wh.conn, { year: 2005, within: '410523999' })).toEqual([]);
  });

  it('closes the household accounts of each year', async () => {
    // One household of two: 2004 opens 2 × 10, spends 5; 2005 opens 20 + 15 = 35 and spends 35.
    expect(await readHouseholdAccounts(wh.conn, 2004)).toEqual({ households: 1, balance: '15.00', empty: 0 });
    expect(await readHouseholdAccounts(wh.conn, 2005)).toEqual({ households: 1, balance: '0.00', empty: 1 });
  });
});
