import { describe, expect, it } from 'vitest';
import { concentrationIndex, lorenzPoints, range, weightedGini } from './index.ts';

describe('weightedGini', () => {
  it('matches hand computations', () => {
    // x = 1, 3 with equal weights: ΣΣ = 2·|1 − 3| = 4; W = 2, μ = 2 → 4 / (2·4·2)
    expect(weightedGini([{ x: 1, w: 1 }, { x: 3, w: 1 }])).toBeCloseTo(0.25, 12);
    // x = 0 (w 3), 1 (w 1): ΣΣ = 2·3·1·1 = 6; W = 4, μ = 0.25 → 6 / (2·16·0.25)
    expect(weightedGini([{ x: 0, w: 3 }, { x: 1, w: 1 }])).toBeCloseTo(0.75, 12);
    expect(weightedGini([{ x: 2, w: 5 }, { x: 2, w: 1 }])).toBe(0);
  });
  it('ignores units without weight and is undefined for nothing', () => {
    expect(weightedGini([{ x: 1, w: 1 }, { x: 3, w: 1 }, { x: Infinity, w: 0 }])).toBeCloseTo(0.25, 12);
    expect(weightedGini([])).toBeNull();
  });
});

describe('range', () => {
  it('gives max − min and max ÷ min', () => {
    const r = range([{ x: 0.6, w: 1 }, { x: 0.9, w: 1 }]);
    expect(r.range).toBeCloseTo(0.3, 12);
    expect(r.ratio).toBeCloseTo(1.5, 12);
    expect(range([{ x: 0, w: 1 }, { x: 1, w: 1 }]).ratio).toBeNull();
  });
});

describe('concentrationIndex', () => {
  it('is positive when the richer unit gets more, negative when the poorer does', () => {
    // ranks 0.25 and 0.75, μ = 20, cov = ((−10)(−0.25) + (10)(0.25)) / 2 = 2.5 → 2·2.5/20
    expect(concentrationIndex([{ x: 10, w: 1, rankBy: 1000, code: 'a' }, { x: 30, w: 1, rankBy: 2000, code: 'b' }])).toBeCloseTo(0.25, 12);
    expect(concentrationIndex([{ x: 10, w: 1, rankBy: 2000, code: 'a' }, { x: 30, w: 1, rankBy: 1000, code: 'b' }])).toBeCloseTo(-0.25, 12);
  });
  it('breaks income ties by code', () => {
    expect(concentrationIndex([{ x: 30, w: 1, rankBy: 1000, code: 'b' }, { x: 10, w: 1, rankBy: 1000, code: 'a' }])).toBeCloseTo(0.25, 12);
  });
});

describe('lorenzPoints', () => {
  it('ranks by payout per enrollee and accumulates shares', () => {
    // b: 100 / 30 enrollees ranks before a: 100 / 10
    expect(lorenzPoints([{ code: 'a', enrollees: 10, payout: 100 }, { code: 'b', enrollees: 30, payout: 100 }])).toEqual([
      { x: 0, y: 0, code: null },
      { x: 0.75, y: 0.5, code: 'b' },
      { x: 1, y: 1, code: 'a' },
    ]);
  });
});
