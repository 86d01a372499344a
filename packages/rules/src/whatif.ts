import { divHalfUp } from './decimal.ts';

/**
 * The what-if chain as the seeds work it (spec/policy.md, "What-if"), about the pool (统筹基金):
 * each step rounds, and the next uses the rounded figure — 321 元 × 1.1697 = 375.47 元;
 * 375.47 × (1 + 23.66 %) = 464.31 ≈ 464 元. Exact BigInt arithmetic: money in fen, the
 * coefficient and the growth rate at 4 decimals (basis points of a percent, ‱).
 */
const BP = 10000n;

export interface WhatIfInput {
  /** Pooled payouts of Y's enrolee claims as settled (fen). */
  settledPooledFen: bigint;
  /** The same claims' pooled payouts under the new policy (fen). */
  newPooledFen: bigint;
  /** Y's enrolees. */
  enrollees: number;
  /** The growth rate at 4 decimals (‱ of 1: 0.2366 → 2366n). */
  growthBp: bigint;
  /** Σ over Y's enrolees of the new policy's funding standard less its household-account share (fen). */
  pooledFundsFen: bigint;
}

export interface WhatIfChain {
  /** 政策影响系数, at 4 decimals (‱); null without settled payouts. */
  coefficientBp: bigint | null;
  /** 人均统筹支出: Y's pooled payouts ÷ enrollees (fen). */
  baseFen: bigint | null;
  /** 按新政策套算: base × coefficient (fen). */
  adjustedFen: bigint | null;
  /** Next year's per-capita spending: adjusted × (1 + G) (fen). */
  nextFen: bigint | null;
  /** The suggested insurer target: next year's per-capita spending to the whole 元. */
  suggestedTargetYuan: bigint | null;
  /** Next year's pooled spending: per capita × enrollees (fen). */
  projectedSpendingFen: bigint | null;
  /** Funds − spending (fen). */
  projectedBalanceFen: bigint | null;
}

export function whatIfChain(i: WhatIfInput): WhatIfChain {
  const n = BigInt(i.enrollees);
  const coefficientBp = i.settledPooledFen > 0n ? divHalfUp(i.newPooledFen * BP, i.settledPooledFen) : null;
  const baseFen = n > 0n ? divHalfUp(i.settledPooledFen, n) : null;
  const adjustedFen = baseFen !== null && coefficientBp !== null ? divHalfUp(baseFen * coefficientBp, BP) : null;
  const nextFen = adjustedFen !== null ? divHalfUp(adjustedFen * (BP + i.growthBp), BP) : null;
  const suggestedTargetYuan = nextFen !== null ? divHalfUp(nextFen, 100n) : null;
  const projectedSpendingFen = nextFen !== null ? nextFen * n : null;
  return {
    coefficientBp, baseFen, adjustedFen, nextFen, suggestedTargetYuan, projectedSpendingFen,
    projectedBalanceFen: projectedSpendingFen !== null ? i.pooledFundsFen - projectedSpendingFen : null,
  };
}

/**
 * The growth rate from the loaded years: the geometric mean of the yearly growth figures,
 * (Π (1 + gₜ))^(1/n) − 1, half up to 4 decimals (‱); 0 with none. Rates are binary floating
 * point until this rounding, as any root must be.
 */
export function geometricMeanGrowthBp(growths: readonly number[]): bigint {
  if (!growths.length) return 0n;
  const mean = growths.reduce((p, g) => p * (1 + g), 1) ** (1 / growths.length) - 1;
  return BigInt(Math.round(mean * 10000));
}

/** A rate at 4 decimals (‱) as text: 2366n → "0.2366". */
export function bpText(bp: bigint): string {
  const neg = bp < 0n;
  const a = neg ? -bp : bp;
  return `${neg ? '-' : ''}${a / BP}.${(a % BP).toString().padStart(4, '0')}`;
}
