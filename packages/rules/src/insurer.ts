/**
 * Insurer co-management settlement (商保经办结算, spec/indicators.md): the year's result of the
 * pool against the insurer's premium is shared band by band, "分段计算，累计支付", never beyond
 * a share of the premium; each month the insurer pre-settles its part of the running balance.
 * One definition in two forms: exact BigInt arithmetic here (a calculator, the monthly series)
 * and SQL over the county's facts for the indicator table; tests hold them equal.
 */
import { divHalfUp, maxBig, minBig, roundHalfUp, toScaled } from './decimal.ts';
import type { Policy } from './policy.ts';

export type Insurer = NonNullable<Policy['insurer']>;

/** Scales: amounts in fen (2), shares and the limit at 4 decimals, so a product is at 2 + 4 + 4. */
const SHARE_SCALE = 4;

/**
 * The insurer's reward (+) or liability (−) in fen for a result (premium − pooled payouts) in fen:
 * sign(result) × Σᵢ shareᵢ × max(0, min(|result|, upToᵢ, L) − lowerᵢ), L = limit × premium, the
 * magnitude rounded half up to the fen before the sign.
 */
export function insurerShareFen(insurer: Insurer, premiumFen: bigint, resultFen: bigint): bigint {
  // Everything at scale 2 + 4 (fen × 10⁴) so the limit L = limit × premium is exact.
  const up = 10n ** BigInt(SHARE_SCALE);
  const limit = premiumFen * toScaled(insurer.limit_share_of_premium, SHARE_SCALE);
  const magnitude = (resultFen < 0n ? -resultFen : resultFen) * up;
  let lower = 0n;
  let sum = 0n; // scale 2 + 4 + 4
  for (const band of insurer.bands) {
    const upper = band.upTo === null ? limit : minBig(toScaled(band.upTo, 2) * up, limit);
    sum += toScaled(band.share, SHARE_SCALE) * maxBig(0n, minBig(magnitude, upper, limit) - lower);
    lower = minBig(upper, limit);
  }
  const rounded = roundHalfUp(sum, 2 * SHARE_SCALE);
  return resultFen < 0n ? -rounded : rounded;
}

/**
 * The same as SQL over two DECIMAL expressions (the result and the premium, in 元), giving
 * DECIMAL(18,2). `NULL` propagates: no premium, no share.
 */
export function insurerShareSql(insurer: Insurer, result: string, premium: string): string {
  const dec = (x: string) => `CAST(${x} AS DECIMAL(38,10))`;
  const limit = `(${dec(premium)} * ${insurer.limit_share_of_premium})`;
  const magnitude = `abs(${dec(result)})`;
  let lower = '0';
  const terms: string[] = [];
  for (const band of insurer.bands) {
    const upper = band.upTo === null ? limit : `least(${band.upTo}, ${limit})`;
    terms.push(`${band.share} * greatest(0, least(${magnitude}, ${upper}, ${limit}) - ${lower})`);
    lower = `least(${upper}, ${limit})`;
  }
  return `CAST(sign(${dec(result)}) * round(${terms.join(' + ')}, 2) AS DECIMAL(18,2))`;
}

export interface InsurerMonth {
  month: number;
  /** The premium paid to the insurer so far (the seeds' schedule). */
  premium_to_date: bigint;
  pooled_payouts_to_date: bigint;
  balance: bigint;
  presettled_to_date: bigint;
}

/**
 * The monthly four-six pre-settlement (四六预结), cumulative for months 1 … 12, as the seeds
 * schedule it: the premium paid is a twelfth of it in month 1 (half up to the fen), then each
 * later month adds that month's pooled payouts ("按不少于收到保险赔付款的数额…支付当月保费"),
 * never above the premium; the pool's payouts by discharge month; and the insurer's part of the
 * running balance from the second month on ("从次月起"), half up to the fen, never beyond ± the
 * contract's limit on the premium paid so far (the contract shares nothing beyond it, so no
 * pre-settlement may either). `monthlyPayoutsFen[m - 1]` is month m's pooled payouts.
 */
export function insurerMonths(insurer: Insurer, premiumFen: bigint, monthlyPayoutsFen: readonly bigint[]): InsurerMonth[] {
  const share = toScaled(insurer.presettle_share, SHARE_SCALE);
  const limit = toScaled(insurer.limit_share_of_premium, SHARE_SCALE);
  const firstMonth = divHalfUp(premiumFen, 12n);
  const januaryPayouts = monthlyPayoutsFen[0] ?? 0n;
  let paid = 0n;
  return Array.from({ length: 12 }, (_, i) => {
    const month = i + 1;
    paid += monthlyPayoutsFen[i] ?? 0n;
    // the twelfth, plus every month's payouts after the first (the closed form the SQL uses)
    const premiumToDate = minBig(premiumFen, firstMonth + paid - januaryPayouts);
    const balance = premiumToDate - paid;
    const bound = roundHalfUp(limit * premiumToDate, SHARE_SCALE);
    const presettled = month === 1 ? 0n : maxBig(-bound, minBig(bound, roundHalfUp(share * balance, SHARE_SCALE)));
    return { month, premium_to_date: premiumToDate, pooled_payouts_to_date: paid, balance, presettled_to_date: presettled };
  });
}

/**
 * What the pre-settlement has paid by December (month 12 of `insurerMonths`) as SQL over the
 * year's premium, pooled payouts and January's pooled payouts (DECIMAL expressions in 元), so that
 * the year-end settlement (insurer_final) can be read from a county's facts.
 */
export function insurerPresettledSql(insurer: Insurer, premium: string, pooledPayouts: string, januaryPayouts: string): string {
  const paid = `least(${premium}, div_fen(${premium}, 12) + ${pooledPayouts} - ${januaryPayouts})`;
  const bound = `round(CAST(${paid} AS DECIMAL(38,10)) * ${insurer.limit_share_of_premium}, 2)`;
  const share = `round(CAST(${paid} - ${pooledPayouts} AS DECIMAL(38,10)) * ${insurer.presettle_share}, 2)`;
  return `CAST(greatest(-${bound}, least(${bound}, ${share})) AS DECIMAL(18,2))`;
}
