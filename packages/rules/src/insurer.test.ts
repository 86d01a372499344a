import { describe, expect, it } from 'vitest';
import { rows } from '@ncms/warehouse';
import { useScratch } from './test-support/scratch.ts';
import { fen, yuan } from './decimal.ts';
import { insurerMonths, insurerShareFen, insurerShareSql, type Insurer } from './insurer.ts';

// The seeds' table: 45 / 50 / 55 / 60 % at 3, 6 and 9 million 元, nothing beyond 10 % of the premium.
const seeds: Insurer = {
  per_capita_target: 464,
  bands: [
    { upTo: 3_000_000, share: 0.45 },
    { upTo: 6_000_000, share: 0.5 },
    { upTo: 9_000_000, share: 0.55 },
    { upTo: null, share: 0.6 },
  ],
  limit_share_of_premium: 0.1,
  presettle_share: 0.4,
};
const PREMIUM = fen(100_000_000);

const db = useScratch();

/** The share as the indicator table computes it. */
async function shareBySql(insurer: Insurer, premium: string, result: string): Promise<string> {
  const [r] = await rows<{ s: string }>(db.conn, `SELECT (${insurerShareSql(insurer, `${result}::DECIMAL(18,2)`, `${premium}::DECIMAL(18,2)`)})::VARCHAR AS s`);
  return r!.s;
}

describe('the insurer\'s share of the year\'s result (分段计算，累计支付)', () => {
  it('reproduces the seeds\' two worked examples', async () => {
    // 7 million 元 of surplus: 0.45 × 3 + 0.50 × 3 + 0.55 × 1 = 3.40 million 元
    expect(yuan(insurerShareFen(seeds, PREMIUM, fen(7_000_000)))).toBe('3400000.00');
    // 12 million 元 stops at the 10 million 元 limit: 1.35 + 1.5 + 1.65 + 0.6 × 1 = 5.10 million 元
    expect(yuan(insurerShareFen(seeds, PREMIUM, fen(12_000_000)))).toBe('5100000.00');
    expect(await shareBySql(seeds, '100000000', '7000000')).toBe('3400000.00');
    expect(await shareBySql(seeds, '100000000', '12000000')).toBe('5100000.00');
  });

  it('shares a deficit the same way, as a liability', async () => {
    expect(yuan(insurerShareFen(seeds, PREMIUM, fen(-4_000_000)))).toBe('-1850000.00'); // 0.45 × 3 + 0.5 × 1
    expect(await shareBySql(seeds, '100000000', '-4000000')).toBe('-1850000.00');
  });

  it('rounds the magnitude half up to the fen, then signs it, in both forms', async () => {
    // 0.45 × 0.03 = 0.0135 → 0.01; 0.45 × 0.05 = 0.0225 → 0.02; 0.45 × 0.07 = 0.0315 → 0.03; 0.45 × 0.01 × 11 = 0.0495 → 0.05
    for (const [result, share] of [['0.03', '0.01'], ['0.05', '0.02'], ['0.07', '0.03'], ['0.11', '0.05'], ['-0.11', '-0.05'], ['0.00', '0.00']] as const) {
      expect(yuan(insurerShareFen(seeds, PREMIUM, fen(result))), result).toBe(share);
      expect(await shareBySql(seeds, '100000000', result), result).toBe(share);
    }
  });

  it('agrees between TypeScript and SQL across bands, limits and odd premiums', async () => {
    const odd: Insurer = { ...seeds, bands: [{ upTo: 1234.56, share: 0.3333 }, { upTo: null, share: 0.0001 }], limit_share_of_premium: 0.0777 };
    for (const premium of ['1000.01', '98765.43', '100000000.00'])
      for (const result of ['1.00', '-1234.57', '5000.99', '-98765.43', '7777.77', '123456.78']) {
        const ts = yuan(insurerShareFen(odd, fen(premium), fen(result)));
        expect(await shareBySql(odd, premium, result), `${premium} ${result}`).toBe(ts);
      }
  });
});

describe('the monthly four-six pre-settlement (四六预结)', () => {
  it('takes the premium in a straight line and pre-settles from the second month', () => {
    // premium 1,200.00 元, 90 元 of pooled payouts a month
    const months = insurerMonths(seeds, fen('1200.00'), Array.from({ length: 12 }, () => fen('90.00')));
    expect(months[0]).toEqual({ month: 1, premium_to_date: fen('100.00'), pooled_payouts_to_date: fen('90.00'), balance: fen('10.00'), presettled_to_date: 0n });
    expect(months[1]).toEqual({ month: 2, premium_to_date: fen('200.00'), pooled_payouts_to_date: fen('180.00'), balance: fen('20.00'), presettled_to_date: fen('8.00') });
    expect(months[11]!.presettled_to_date).toBe(fen('48.00')); // 0.4 × (1,200 − 1,080)
  });

  it('rounds the straight-line premium half up, and a shortfall gives a negative figure', () => {
    // 1,000.01 × 1 ÷ 12 = 83.334… → 83.33; × 6 ÷ 12 = 500.005 → 500.01
    const months = insurerMonths(seeds, fen('1000.01'), [fen('100.00'), 0n, 0n, 0n, 0n, fen('500.00')]);
    expect(months[0]!.premium_to_date).toBe(fen('83.33'));
    expect(months[5]!.premium_to_date).toBe(fen('500.01'));
    expect(months[5]!.balance).toBe(fen('-99.99'));
    expect(months[5]!.presettled_to_date).toBe(fen('-40.00')); // 0.4 × −99.99 = −39.996
  });
});
