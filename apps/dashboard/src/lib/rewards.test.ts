import { describe, expect, it } from 'vitest';
import { rewardTier, tierText } from './rewards';

const tiers = [
  { min_rate: 0.8, per_enrollee: 0.5 },
  { min_rate: 0.9, per_enrollee: 1 },
];

describe('village reward tier', () => {
  it('takes the highest tier reached, the bound included', () => {
    expect(rewardTier(0.9, tiers)).toEqual(tiers[1]);
    expect(rewardTier(0.8999, tiers)).toEqual(tiers[0]);
    expect(rewardTier(0.79, tiers)).toBeUndefined();
    expect(tierText(0.95, tiers)).toBe('≥90%，每人 1 元');
    expect(tierText(0.5, tiers)).toBe('未达奖励档');
    expect(tierText(0.95, [])).toBe('—');
  });
});
