import { describe, expect, it } from 'vitest';
import { rows } from '@ncms/warehouse';
import { useScratch } from './test-support/scratch.ts';
import { fen, yuan } from './decimal.ts';
import { insurerMonths, insurerPresettledSql, insurerShareFen, insurerShareSql, type Insurer } from './insurer.ts';

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

describe('the monthly four-six pre-settlement (四六预结), on the seeds\' premium schedule', () => {
  const months = (premium: string, payouts: string[]) => insurerMonths(seeds, fen(premium), payouts.map(fen));

  it('pays a twelfth of the premium in month 1, then each month\'s payouts, and pre-settles from the second month', () => {
    // premium 1,200.00 元, 90 元 of pooled payouts a month
    const m = months('1200.00', Array.from({ length: 12 }, () => '90.00'));
    expect(m[0]).toEqual({ month: 1, premium_to_date: fen('100.00'), pooled_payouts_to_date: fen('90.00'), balance: fen('10.00'), presettled_to_date: 0n });
    // 100 + 90 paid, 180 paid out: 0.4 × 10 = 4 (the limit 0.1 × 190 = 19 does not bind)
    expect(m[1]).toEqual({ month: 2, premium_to_date: fen('190.00'), pooled_payouts_to_date: fen('180.00'), balance: fen('10.00'), presettled_to_date: fen('4.00') });
    // December: 100 + 11 × 90 = 1,090 paid against 1,080 paid out
    expect(m[11]).toEqual({ month: 12, premium_to_date: fen('1090.00'), pooled_payouts_to_date: fen('1080.00'), balance: fen('10.00'), presettled_to_date: fen('4.00') });
  });

  it('never pre-settles beyond ± the limit on the premium paid so far', () => {
    // no payouts in January and February: 100 paid, balance 100; 0.4 × 100 = 40 but the limit is 0.1 × 100 = 10
    expect(months('1200.00', ['0', '0'])[1]!.presettled_to_date).toBe(fen('10.00'));
    // 300 paid out in January: balance 100 − 300 = −200 in February; 0.4 × −200 = −80, held at −10
    const short = months('1200.00', ['300.00', '0']);
    expect(short[1]).toMatchObject({ premium_to_date: fen('100.00'), balance: fen('-200.00'), presettled_to_date: fen('-10.00') });
  });

  it('never pays more premium than the contract\'s', () => {
    // 2,000 paid out in February: 100 + 2,000 is held at the premium 1,200; balance −800; 0.4 × −800 = −320, limit 120
    const m = months('1200.00', ['0', '2000.00', '50.00']);
    expect(m[1]).toMatchObject({ premium_to_date: fen('1200.00'), balance: fen('-800.00'), presettled_to_date: fen('-120.00') });
    expect(m[2]).toMatchObject({ premium_to_date: fen('1200.00'), pooled_payouts_to_date: fen('2050.00'), presettled_to_date: fen('-120.00') });
  });

  it('rounds the twelfth and the shares half up to the fen', () => {
    // 1,000.01 ÷ 12 = 83.334… → 83.33; February: 83.33 paid, 0 out; 0.4 × 83.33 = 33.332, limit 0.1 × 83.33 = 8.333 → 8.33
    const m = months('1000.01', ['100.00', '0']);
    expect(m[0]!.premium_to_date).toBe(fen('83.33'));
    expect(m[1]).toMatchObject({ premium_to_date: fen('83.33'), balance: fen('-16.67'), presettled_to_date: fen('-6.67') }); // 0.4 × −16.67 = −6.668
  });

  it('gives December\'s pre-settlement in SQL exactly as the months do', async () => {
    const series = [
      ['1200.00', ['90.00', '90.00', '90.00', '90.00', '90.00', '90.00', '90.00', '90.00', '90.00', '90.00', '90.00', '90.00']],
      ['1200.00', ['0', '2000.00', '50.00']],
      ['1000.01', ['100.00', '0', '3.33']],
      ['98765.43', ['1234.56', '7000.01', '0', '0', '5000.00', '0', '12.34', '0', '0', '8000.00', '0', '60000.00']],
      ['5000.00', ['0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '412.00']],
    ] as const;
    for (const [premium, payouts] of series) {
      const december = months(premium, [...payouts])[11]!.presettled_to_date;
      const total = yuan(payouts.map(fen).reduce((a, b) => a + b, 0n));
      const sql = insurerPresettledSql(seeds, `${premium}::DECIMAL(18,2)`, `${total}::DECIMAL(18,2)`, `${payouts[0]}::DECIMAL(18,2)`);
      const [r] = await rows<{ s: string }>(db.conn, `SELECT (${sql})::VARCHAR AS s`);
      expect(r!.s, `${premium} ${payouts.join(' ')}`).toBe(yuan(december));
    }
  });
});
