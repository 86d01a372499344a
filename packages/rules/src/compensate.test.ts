import { describe, expect, it } from 'vitest';
import { compensate, compareCodePoints, rawPayout, yuan, parsePolicy, type Claim } from './index.ts';
import { P, claim } from './test-support/fixtures.ts';

const one = (c: Partial<Claim>) => yuan(rawPayout(P, claim(c)));

describe('one claim (steps 1–6)', () => {
  it('pays nothing at or below the deductible', () => {
    expect(one({ eligible_cost: '150.00' })).toBe('0.00');
    expect(one({ eligible_cost: '100.00' })).toBe('0.00');
  });
  it('whole mode: the rate of the band containing the base, on everything above the deductible', () => {
    expect(one({ eligible_cost: '1000.00' })).toBe('212.50'); // 0.25 × 850 (exactly at the band edge)
    expect(one({ eligible_cost: '1000.01' })).toBe('255.00'); // 0.30 × 850.01 = 255.003
    expect(one({ eligible_cost: '2000.00' })).toBe('1017.50'); // 0.55 × 1850
  });
  it('banded mode: each band on its own slice', () => {
    // 0.70 × (10000 − 400) + 0.75 × (12000 − 10000) = 6720 + 1500
    expect(one({ level: 'county', eligible_cost: '12000.00' })).toBe('8220.00');
  });
  it('applies the level factor, the unreferred out-of-county factor, then the claim cap', () => {
    expect(one({ level: 'city', in_county: false, referral: true, eligible_cost: '3000.00' })).toBe('960.00'); // 0.6 × 2000 × 0.8
    expect(one({ level: 'city', in_county: false, referral: false, eligible_cost: '3000.00' })).toBe('480.00'); // × 0.5
    expect(one({ level: 'city', in_county: false, referral: true, eligible_cost: '20000.00' })).toBe('5000.00'); // 9120 capped
  });
  it('rounds half up to the fen on exact decimals', () => {
    expect(one({ eligible_cost: '150.02' })).toBe('0.01'); // 0.25 × 0.02 = 0.005
    expect(one({ eligible_cost: '150.01' })).toBe('0.00'); // 0.0025
    expect(one({ level: 'city', in_county: false, eligible_cost: '1000.05' })).toBe('0.01'); // 0.6 × 0.05 × 0.8 × 0.5 = 0.012
  });
  it('uses the non-designated rule for a facility outside the scheme', () => {
    expect(one({ designated: false, eligible_cost: '1500.00' })).toBe('200.00'); // 0.2 × 1000
    expect(one({ designated: false, visit_type: 'outpatient', eligible_cost: '100.00' })).toBe('0.00');
  });
  it('pays single-disease fixed amounts at listed levels only, matching the code trimmed and upper-cased', () => {
    expect(one({ level: 'county', single_disease_code: ' K35', total_cost: '450.00', eligible_cost: '450.00' })).toBe('450.00');
    expect(one({ level: 'county', single_disease_code: 'k35', total_cost: '2000.00', eligible_cost: '2000.00' })).toBe('600.00');
    // at a city hospital the entry does not apply: the city rule does (0.6 × 1000 × 0.8)
    expect(one({ level: 'city', in_county: false, referral: true, single_disease_code: 'K35', total_cost: '2000.00', eligible_cost: '2000.00' })).toBe('480.00');
  });
  it('pays 0 for an unknown facility or a person not enrolled', () => {
    expect(one({ level: null, eligible_cost: '2000.00' })).toBe('0.00');
    expect(one({ enrolled: false, eligible_cost: '2000.00' })).toBe('0.00');
  });
  it('outpatient ratio: rate × eligible rounded, at most per visit, covered levels only', () => {
    expect(one({ visit_type: 'outpatient', eligible_cost: '100.00' })).toBe('25.00');
    expect(one({ visit_type: 'outpatient', eligible_cost: '200.00' })).toBe('30.00');
    expect(one({ visit_type: 'outpatient', eligible_cost: '0.10' })).toBe('0.03'); // 0.025 half up
    expect(one({ visit_type: 'outpatient', level: 'city', eligible_cost: '100.00' })).toBe('0.00');
  });
});

describe('a set of claims (step 7 and accounts)', () => {
  it('applies the level cap and the overall cap in date order, ties by claim_id code point', () => {
    const cs = [
      claim({ claim_id: 'A', level: 'county', discharge_date: '2005-03-01', eligible_cost: '20000.00' }), // 6720 + 7500 = 14220
      claim({ claim_id: 'B', level: 'county', discharge_date: '2005-04-01', eligible_cost: '20000.00' }), // county cap 20000: 5780 left
      claim({ claim_id: 'X2', discharge_date: '2005-05-01', eligible_cost: '20000.00' }), // 0.55 × 19850 = 10917.50
      claim({ claim_id: 'X10', discharge_date: '2005-05-01', eligible_cost: '2000.00' }), // 1017.50, before X2 ('1' < '2')
      claim({ claim_id: 'Z', discharge_date: '2005-06-01', eligible_cost: '2000.00' }),
      claim({ claim_id: 'OTHER', person_id: 'P2', discharge_date: '2005-06-01', eligible_cost: '2000.00' }),
    ];
    const got = Object.fromEntries([...compensate(P, cs)].map(([k, v]) => [k, yuan(v)]));
    // overall 30000: A 14220 + B 5780 = 20000; X10 1017.50; X2 gets the 8982.50 left; Z nothing.
    expect(got).toEqual({ A: '14220.00', B: '5780.00', X10: '1017.50', X2: '8982.50', Z: '0.00', OTHER: '1017.50' });
  });

  it('single-disease payments count against the caps', () => {
    const tight = parsePolicy({ ...structuredClone(P), inpatient: { ...structuredClone(P.inpatient), annual_cap: 1000 } });
    const cs = [
      claim({ claim_id: 'S', level: 'county', single_disease_code: 'K35', eligible_cost: '2000.00', discharge_date: '2005-01-01' }),
      claim({ claim_id: 'T', eligible_cost: '2000.00', discharge_date: '2005-02-01' }),
    ];
    expect([...compensate(tight, cs).values()].map(yuan)).toEqual(['600.00', '400.00']);
  });

  it('caps outpatient ratio payouts per person-year', () => {
    const cs = [1, 2, 3].map((i) => claim({ claim_id: `O${i}`, visit_type: 'outpatient', discharge_date: `2005-0${i}-01`, eligible_cost: '200.00' }));
    expect([...compensate(P, cs).values()].map(yuan)).toEqual(['30.00', '20.00', '0.00']);
  });

  it('pays family-account outpatient claims from the household balance', () => {
    const fa = parsePolicy({ ...structuredClone(P), outpatient: { mode: 'family_account', levels: ['township', 'county'] } });
    const hh = { visit_type: 'outpatient' as const, household_id: 'H1', household_members: 3, opening_carry: '5.50' };
    const cs = [
      claim({ ...hh, claim_id: 'F1', person_id: 'A', discharge_date: '2005-01-05', eligible_cost: '10.00' }),
      claim({ ...hh, claim_id: 'F2', person_id: 'B', discharge_date: '2005-02-05', eligible_cost: '15.00' }),
      claim({ ...hh, claim_id: 'F3', person_id: 'C', discharge_date: '2005-03-05', eligible_cost: '10.00' }),
      claim({ ...hh, claim_id: 'F4', person_id: 'C', discharge_date: '2005-03-06', level: 'city', eligible_cost: '10.00' }),
    ];
    // 8 × 3 + 5.50 = 29.50: 10 + 15 + 4.50; a city visit is not covered.
    expect([...compensate(fa, cs).values()].map(yuan)).toEqual(['10.00', '15.00', '4.50', '0.00']);
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, as DuckDB orders VARCHAR', () => {
    // U+FF01 (full-width !) is below U+1F600 (emoji) as code points, above it as UTF-16 units.
    expect(compareCodePoints('\uFF01', '\u{1F600}')).toBe(-1);
    expect('\uFF01' < '\u{1F600}').toBe(false);
    expect(compareCodePoints('C10', 'C2')).toBe(-1);
    expect(compareCodePoints('C1', 'C10')).toBe(-1);
    expect(compareCodePoints('结算', '结算')).toBe(0);
  });
});
