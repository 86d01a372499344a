/** The village reward tier (村级奖励档次) a participation rate reaches under the policy (spec/policy.md). */
export interface RewardTier {
  min_rate: number;
  per_enrollee: number;
}

/** The tier with the largest `min_rate` not above the rate (inclusive), or undefined. */
export function rewardTier(rate: number | null | undefined, tiers: readonly RewardTier[]): RewardTier | undefined {
  if (rate == null) return undefined;
  let best: RewardTier | undefined;
  for (const t of tiers) if (rate >= t.min_rate && (!best || t.min_rate > best.min_rate)) best = t;
  return best;
}

/** `≥90%，每人 1 元`, or `未达奖励档` when the village reaches no tier. */
export function tierText(rate: number | null | undefined, tiers: readonly RewardTier[]): string {
  if (!tiers.length) return '—';
  const t = rewardTier(rate, tiers);
  return t ? `≥${(t.min_rate * 100).toFixed(0)}%，每人 ${t.per_enrollee} 元` : '未达奖励档';
}
