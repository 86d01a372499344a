/**
 * Equity maths (spec/indicators.md, 公平): weighted Gini, range, concentration index and
 * Lorenz points over small sets of units. Pure functions on numbers; rates, not money.
 */

export interface WeightedPoint {
  x: number;
  w: number;
}

/** Points with a usable value and a positive weight. */
function usable<T extends WeightedPoint>(ps: readonly T[]): T[] {
  return ps.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.w) && p.w > 0);
}

/** G = Σᵢ Σⱼ wᵢ wⱼ |xᵢ − xⱼ| ÷ (2 W² μ), μ the weighted mean; no small-sample correction. */
export function weightedGini(points: readonly WeightedPoint[]): number | null {
  const ps = usable(points);
  const W = ps.reduce((a, p) => a + p.w, 0);
  if (ps.length === 0 || W === 0) return null;
  const mu = ps.reduce((a, p) => a + p.w * p.x, 0) / W;
  if (mu === 0) return null;
  let s = 0;
  for (const a of ps) for (const b of ps) s += a.w * b.w * Math.abs(a.x - b.x);
  return s / (2 * W * W * mu);
}

/** max − min and max ÷ min (null when min is 0). */
export function range(points: readonly WeightedPoint[]): { range: number | null; ratio: number | null } {
  const xs = usable(points).map((p) => p.x);
  if (!xs.length) return { range: null, ratio: null };
  const max = Math.max(...xs);
  const min = Math.min(...xs);
  return { range: max - min, ratio: min === 0 ? null : max / min };
}

export interface RankedPoint extends WeightedPoint {
  /** What units are ranked by (per-capita net income), ascending. */
  rankBy: number;
  /** Ties in rankBy are broken by this code. */
  code: string;
}

/**
 * C = 2 · cov_w(x, r) ÷ μ: x payout per enrolee, units ranked by income (ties by code),
 * r the weighted fractional rank (midpoint of each unit's cumulative weight share).
 * Negative: payouts go more to the poorer units (pro-poor).
 */
export function concentrationIndex(points: readonly RankedPoint[]): number | null {
  const ps = usable(points)
    .filter((p) => Number.isFinite(p.rankBy))
    .sort((a, b) => a.rankBy - b.rankBy || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const W = ps.reduce((a, p) => a + p.w, 0);
  if (!ps.length || W === 0) return null;
  const mu = ps.reduce((a, p) => a + p.w * p.x, 0) / W;
  if (mu === 0) return null;
  let before = 0;
  const ranks = ps.map((p) => {
    const r = (before + p.w / 2) / W;
    before += p.w;
    return r;
  });
  const rBar = ps.reduce((a, p, i) => a + p.w * ranks[i]!, 0) / W;
  const cov = ps.reduce((a, p, i) => a + p.w * (p.x - mu) * (ranks[i]! - rBar), 0) / W;
  return (2 * cov) / mu;
}

/**
 * Lorenz curve of payouts: units ranked by payout per enrolee, cumulative share of
 * enrollees (x) against cumulative share of payouts (y), starting at (0, 0).
 */
export function lorenzPoints(units: readonly { enrollees: number; payout: number; code: string }[]): { x: number; y: number; code: string | null }[] {
  const us = units
    .filter((u) => u.enrollees > 0)
    .sort((a, b) => a.payout / a.enrollees - b.payout / b.enrollees || (a.code < b.code ? -1 : 1));
  const E = us.reduce((a, u) => a + u.enrollees, 0);
  const P = us.reduce((a, u) => a + u.payout, 0);
  const out: { x: number; y: number; code: string | null }[] = [{ x: 0, y: 0, code: null }];
  if (E === 0 || P === 0) return out;
  let e = 0;
  let p = 0;
  for (const u of us) {
    e += u.enrollees;
    p += u.payout;
    out.push({ x: e / E, y: p / P, code: u.code });
  }
  return out;
}
