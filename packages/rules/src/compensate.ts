/**
 * Compensation of claims exactly as spec/policy.md says, in TypeScript: one claim at a
 * time for the dashboard's calculator, a list of claims with the annual caps and the
 * household account. The SQL compiler (sql.ts) is the same definition for millions of
 * claims; a property test keeps the two equal to the fen.
 */
import { compareCodePoints, fen, maxBig, minBig, roundHalfUp, toScaled } from './decimal.ts';
import type { Policy, LevelRule } from './policy.ts';
import type { FacilityLevel, Level } from './vocabulary.ts';

export interface Claim {
  claim_id: string;
  person_id: string;
  visit_type: 'inpatient' | 'outpatient';
  /** ISO date; orders claims within a person-year (then claim_id by code point). */
  discharge_date: string;
  /** 元 with at most 2 decimals. */
  total_cost: string;
  eligible_cost: string;
  /** null: the facility is not in the registry (expected payout 0 until it arrives). */
  level: FacilityLevel | null;
  in_county: boolean;
  designated: boolean;
  referral: boolean;
  single_disease_code?: string | null;
  /** false: the person is not enrolled in the claim's year (payout 0). Default true. */
  enrolled?: boolean;
  /** Family-account outpatient: the household, default the person alone. */
  household_id?: string | null;
  /** Enrolled members of the household that year, default 1. */
  household_members?: number | null;
  /** Last year's closing balance of the household account (元), default 0. */
  opening_carry?: string | null;
}

const RATE_SCALE = 4; // rates and factors are read with 4 decimals
const ONE = 10n ** BigInt(RATE_SCALE);

const scaled = (x: number | undefined, def: bigint): bigint => (x === undefined ? def : toScaled(x, RATE_SCALE));
const fenOf = (x: number | null | undefined): bigint | null => (x === null || x === undefined ? null : fen(x));

/** The level the rules apply to: null when the facility is unknown. */
export function ruleLevel(c: Pick<Claim, 'level' | 'designated'>): Level | null {
  if (c.level === null) return null;
  return c.designated ? c.level : 'non_designated';
}

/** Banded or whole-band amount above the deductible, in fen × 10^4. */
function bandsAmount(rule: LevelRule, base: bigint): bigint {
  const d = fen(rule.deductible);
  if (rule.mode === 'whole') {
    if (base <= d) return 0n;
    // The first band whose upper edge is not below the base contains it (base > deductible here).
    const band = rule.bands.find((b) => b.upTo === null || base <= fen(b.upTo));
    return band ? scaled(band.rate, 0n) * (base - d) : 0n;
  }
  let sum = 0n;
  let prevUp: bigint | null = null;
  for (const b of rule.bands) {
    const up = fenOf(b.upTo);
    const lower = prevUp === null ? d : maxBig(d, prevUp);
    const top = up === null ? base : minBig(base, up);
    sum += scaled(b.rate, 0n) * maxBig(0n, top - lower);
    prevUp = up;
  }
  return sum;
}

function singleDisease(policy: Policy, c: Claim, level: Level) {
  const code = c.single_disease_code?.trim().toUpperCase();
  if (!code || c.visit_type !== 'inpatient') return undefined;
  return policy.single_disease?.find((e) => e.code.trim().toUpperCase() === code && e.levels.includes(level));
}

/** Steps 1–6 of spec/policy.md for one claim: the payout before annual caps, in fen. */
export function rawPayout(policy: Policy, c: Claim): bigint {
  if (c.enrolled === false) return 0n;
  const level = ruleLevel(c);
  if (level === null) return 0n;
  if (c.visit_type === 'outpatient') {
    const o = policy.outpatient;
    if (!o || !c.designated || !o.levels.includes(level)) return 0n;
    if (o.mode === 'family_account') return fen(c.eligible_cost);
    const raw = roundHalfUp(scaled(o.rate, 0n) * fen(c.eligible_cost), RATE_SCALE);
    const perVisit = fenOf(o.per_visit_cap);
    return perVisit === null ? raw : minBig(raw, perVisit);
  }
  const sd = singleDisease(policy, c, level);
  if (sd) return minBig(fen(sd.fund_pays), fen(c.total_cost));
  const rule = policy.inpatient.levels[level];
  if (!rule) return 0n;
  let x = bandsAmount(rule, fen(c.eligible_cost)) * scaled(rule.factor, ONE);
  x *= !c.in_county && !c.referral ? scaled(policy.inpatient.unreferred_factor, ONE) : ONE;
  const extra = RATE_SCALE * 3; // rate × factor × unreferred factor
  const claimCap = fenOf(rule.claim_cap);
  if (claimCap !== null) x = minBig(x, claimCap * 10n ** BigInt(extra));
  return roundHalfUp(x, extra);
}

function byDateThenId(a: Claim, b: Claim): number {
  return a.discharge_date < b.discharge_date ? -1 : a.discharge_date > b.discharge_date ? 1 : compareCodePoints(a.claim_id, b.claim_id);
}

const yearOf = (c: Claim) => c.discharge_date.slice(0, 4);

/**
 * Expected payouts of a set of claims, in fen, with the person-year annual caps
 * (inpatient overall and per level; outpatient ratio) and the household accounts, in
 * discharge-date-then-claim_id order.
 */
export function compensate(policy: Policy, claims: readonly Claim[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const ordered = [...claims].sort(byDateThenId);
  const used = new Map<string, bigint>();
  const take = (key: string, limit: bigint | null, want: bigint): bigint => {
    if (limit === null) return want;
    const u = used.get(key) ?? 0n;
    return maxBig(0n, minBig(want, limit - u));
  };
  const spend = (key: string, x: bigint) => used.set(key, (used.get(key) ?? 0n) + x);
  const annual = fenOf(policy.inpatient.annual_cap);
  const outAnnual = fenOf(policy.outpatient?.annual_cap);
  const perCapita = fenOf(policy.funding.family_account_per_capita) ?? 0n;
  for (const c of ordered) {
    const raw = rawPayout(policy, c);
    const py = `${c.person_id}\u0000${yearOf(c)}`;
    const level = ruleLevel(c);
    let paid: bigint;
    if (c.visit_type === 'inpatient') {
      const levelCap = level ? fenOf(policy.inpatient.levels[level]?.annual_cap) : null;
      paid = minBig(take(`in|${py}`, annual, raw), take(`lvl|${level}|${py}`, levelCap, raw));
      spend(`in|${py}`, paid);
      spend(`lvl|${level}|${py}`, paid);
    } else if (policy.outpatient?.mode === 'family_account') {
      const hh = `fa|${c.household_id ?? c.person_id}\u0000${yearOf(c)}`;
      const balance = perCapita * BigInt(c.household_members ?? 1) + fen(c.opening_carry ?? '0');
      paid = take(hh, balance, raw);
      spend(hh, paid);
    } else {
      paid = take(`out|${py}`, outAnnual, raw);
      spend(`out|${py}`, paid);
    }
    out.set(c.claim_id, paid);
  }
  return out;
}
