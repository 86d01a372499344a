import { parsePolicy, type Claim, type Policy } from '../index.ts';

/** A policy with every branch, small enough to compute by hand. */
export const P: Policy = parsePolicy({
  scheme: '测试县',
  year: 2005,
  funding: { standards: { general: { individual: 10, central: 10, provincial: 5, county: 5 }, wubao: { civil_affairs: 10, central: 10, provincial: 5, county: 5 } }, family_account_per_capita: 8 },
  inpatient: {
    levels: {
      township: { deductible: 150, mode: 'whole', bands: [{ upTo: 1000, rate: 0.25 }, { upTo: 1500, rate: 0.3 }, { upTo: null, rate: 0.55 }] },
      county: { deductible: 400, mode: 'banded', annual_cap: 20000, bands: [{ upTo: 10000, rate: 0.7 }, { upTo: 50000, rate: 0.75 }, { upTo: null, rate: 0.8 }] },
      city: { deductible: 1000, mode: 'banded', factor: 0.8, claim_cap: 5000, bands: [{ upTo: null, rate: 0.6 }] },
      non_designated: { deductible: 500, mode: 'whole', bands: [{ upTo: null, rate: 0.2 }] },
    },
    annual_cap: 30000,
    unreferred_factor: 0.5,
  },
  single_disease: [{ code: 'k35 ', name: '急性阑尾炎', levels: ['township', 'county'], fund_pays: 600 }],
  outpatient: { mode: 'ratio', rate: 0.25, per_visit_cap: 30, annual_cap: 50, levels: ['township', 'county'] },
  village_rewards: [{ min_rate: 0.95, per_enrollee: 0.5 }, { min_rate: 0.9, per_enrollee: 0.3 }],
});

let n = 0;
export function claim(over: Partial<Claim>): Claim {
  n++;
  return {
    claim_id: `C${String(n).padStart(4, '0')}`,
    person_id: 'P1',
    visit_type: 'inpatient',
    discharge_date: '2005-03-01',
    total_cost: over.eligible_cost ?? '1000.00',
    eligible_cost: '1000.00',
    level: 'township',
    in_county: true,
    designated: true,
    referral: false,
    ...over,
  };
}
