/**
 * Fuzzing the policy validator: arbitrary JSON, and a valid policy with one of its values
 * replaced by anything at a random path. It either accepts (and the result is a policy the
 * engine can run) or refuses with PolicyError naming each problem's path — never another error.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compensate, parsePolicy, PolicyError } from './index.ts';

const VALID = {
  scheme: '示例县新型农村合作医疗',
  year: 2006,
  funding: { standards: { general: { individual: 10, central: 20, provincial: 5, county: 5 } } },
  inpatient: {
    levels: {
      township: { deductible: 100, mode: 'whole', bands: [{ upTo: null, rate: 0.6 }] },
      county: { deductible: 300, mode: 'banded', bands: [{ upTo: 5000, rate: 0.4 }, { upTo: null, rate: 0.5 }] },
    },
    annual_cap: 20000,
  },
  targets: { participation_rate: 0.9 },
};

/** Every path to a value inside `o`. */
function paths(o: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (o === null || typeof o !== 'object') return [at];
  return [at, ...Object.entries(o as object).flatMap(([k, v]) => paths(v, [...at, Array.isArray(o) ? Number(k) : k]))];
}

function setAt(o: unknown, path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  const copy = (Array.isArray(o) ? [...o] : { ...(o as object) }) as Record<string | number, unknown>;
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), value);
  return copy;
}

function check(json: unknown): void {
  try {
    const p = parsePolicy(json, 'fuzz.json');
    // Accepted: the engine runs it on a claim without throwing.
    const claims = (['township', 'county', 'city', 'provincial'] as const).map((level, i) => ({
      claim_id: `c${i}`, person_id: 'p', visit_type: 'inpatient' as const, discharge_date: '2006-05-01', total_cost: '1234.56', eligible_cost: '1000.00',
      level, in_county: i < 2, designated: true, referral: false,
    }));
    const paid = compensate(p, claims);
    for (const fen of paid.values()) expect(fen >= 0n).toBe(true);
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(PolicyError);
    expect((e as PolicyError).problems.length).toBeGreaterThan(0);
    for (const p of (e as PolicyError).problems) expect(p).toMatch(/\S/);
  }
}

describe('policy validator under random input', () => {
  it('accepts the valid base policy', () => {
    expect(() => parsePolicy(VALID)).not.toThrow();
  });

  it('refuses arbitrary JSON with PolicyError and nothing else', () => {
    fc.assert(fc.property(fc.jsonValue(), (j) => check(j)), { numRuns: 300, seed: 7 });
  });

  it('refuses or accepts a valid policy with one value replaced anywhere', () => {
    const all = paths(VALID).filter((p) => p.length);
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.oneof(fc.jsonValue(), fc.constantFrom(-1, 0, 1e308, '', 'NaN', null, [], {})), (path, value) => check(setAt(VALID, path, value))),
      { numRuns: 500, seed: 11 },
    );
  });
});
