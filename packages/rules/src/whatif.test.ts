import { describe, expect, it } from 'vitest';
import { fen, yuan } from './decimal.ts';
import { bpText, geometricMeanGrowthBp, whatIfChain } from './whatif.ts';

describe('the what-if chain, as the seeds work it', () => {
  it('reproduces 321 × 1.1697 = 375.47 and 375.47 × 1.2366 ≈ 464', () => {
    // 1,000 enrolees whose pool paid 321,000 元; under the new policy the same claims would cost 375,473.70 元
    const c = whatIfChain({ settledPooledFen: fen(321000), newPooledFen: fen('375473.70'), enrollees: 1000, growthBp: 2366n, pooledFundsFen: fen(450000) });
    expect(c.coefficientBp).toBe(11697n); // 375,473.70 ÷ 321,000 = 1.1697
    expect(yuan(c.baseFen!)).toBe('321.00');
    expect(yuan(c.adjustedFen!)).toBe('375.47'); // 321 × 1.1697 = 375.4737
    expect(yuan(c.nextFen!)).toBe('464.31'); // 375.47 × 1.2366 = 464.306…
    expect(c.suggestedTargetYuan).toBe(464n);
    expect(yuan(c.projectedSpendingFen!)).toBe('464310.00');
    expect(yuan(c.projectedBalanceFen!)).toBe('-14310.00');
  });

  it('uses each step\'s rounded figure, half up', () => {
    // base 100.005 → 100.01 (half up); × 1.0001 = 100.020001 → 100.02; × 1.0005 = 100.07001 → 100.07
    const c = whatIfChain({ settledPooledFen: fen('200.01'), newPooledFen: fen('200.03'), enrollees: 2, growthBp: 5n, pooledFundsFen: 0n });
    expect(c.coefficientBp).toBe(10001n); // 200.03 ÷ 200.01 = 1.0000999… → 1.0001
    expect(yuan(c.baseFen!)).toBe('100.01');
    expect(yuan(c.adjustedFen!)).toBe('100.02');
    expect(yuan(c.nextFen!)).toBe('100.07');
  });

  it('leaves the chain empty without settled payouts or enrolees', () => {
    expect(whatIfChain({ settledPooledFen: 0n, newPooledFen: fen(10), enrollees: 5, growthBp: 0n, pooledFundsFen: 0n }).nextFen).toBeNull();
    expect(whatIfChain({ settledPooledFen: fen(10), newPooledFen: fen(10), enrollees: 0, growthBp: 0n, pooledFundsFen: 0n }).nextFen).toBeNull();
  });
});

describe('the growth rate from the loaded years', () => {
  it('is the geometric mean of the yearly growth, half up to 4 decimals; 0 with one year only', () => {
    // (1.21 × 1.44)^(1/2) − 1 = √1.7424 − 1 = 1.32 − 1
    expect(bpText(geometricMeanGrowthBp([0.21, 0.44]))).toBe('0.3200');
    expect(bpText(geometricMeanGrowthBp([0.1]))).toBe('0.1000');
    expect(bpText(geometricMeanGrowthBp([-0.5, 1]))).toBe('0.0000'); // halved, then doubled
    expect(geometricMeanGrowthBp([])).toBe(0n);
    expect(bpText(-123n)).toBe('-0.0123');
  });
});
