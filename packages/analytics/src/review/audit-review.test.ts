import { describe, expect, it } from 'vitest';
import { parsePolicy } from '@ncms/rules';
import { makeId } from '@ncms/sample-county';
import { useLoadedCounty } from '../test-support/loaded-county.ts';
import { readAuditRuleFigures, readAuditRules } from '../query/audit-rules.ts';
import { readReviewHistory, recordReview } from './audit-review.ts';

const P = makeId('410523', '19700101', 1); // a man of the county
const policy = parsePolicy({
  scheme: '测试县',
  year: 2005,
  funding: { standards: { general: { individual: 10 } } },
  inpatient: { levels: { township: { deductible: 0, mode: 'whole', bands: [{ upTo: null, rate: 0.5 }] } } },
});
const HIS = 'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,eligible_cost,reimbursed,diagnosis_code\n';
const claims = (m1Paid: string) =>
  HIS +
  `D1,${P},H1,住院,2005-03-01,2005-03-10,1000,1000,100,S52\n` +
  `D2,${P},H1,住院,2005-03-01,2005-03-10,1000,1000,100,S52\n` + // the same stay settled twice
  `M1,${P},H1,住院,2005-06-01,2005-06-03,100,100,${m1Paid},J06.9\n`; // a cold, two days in hospital

const wh = useLoadedCounty((put) => {
  put('census/c.csv', 'year,division_code,township_name,village_name,agricultural_population\n2005,410523100200,城关镇,东村,10\n');
  put('facilities/f.csv', 'facility_code,facility_name,level,in_county\nH1,城关镇卫生院,township,1\n');
  put('enrollment/e.csv', `year,person_id,name,household_id,division_code\n2005,${P},张三丰,H1,410523100200\n`);
  put('his/h.csv', claims('40'));
}, [policy]);

const list = (q: Partial<Parameters<typeof readAuditRules>[1]> = {}) => readAuditRules(wh.conn, { year: 2005, limit: 'all', ...q });
const brief = (r: Awaited<ReturnType<typeof list>>) => r.rows.map((x) => [x.code, x.claim_id, x.amount_at_stake, x.state, x.to_recover, x.recovered, x.claim_changed]);
const key = (code: string, claim_id: string) => ({ year: 2005, code, claim_id });

describe('the review (复核) of the audit rules\' findings', () => {
  it('lists the findings ranked by amount at stake, pending, with personal data masked unless allowed', async () => {
    const all = await list();
    expect(brief(all)).toEqual([
      ['duplicate_claim', 'D2', '100.00', 'pending', null, '0.00', false],
      ['overlapping_stays', 'D2', '100.00', 'pending', null, '0.00', false],
      ['minor_admission', 'M1', '40.00', 'pending', null, '0.00', false],
    ]);
    expect(all.rows[0]).toMatchObject({ zh: '重复结算嫌疑', state_zh: '待复核', person_id: `${P.slice(0, 6)}********${P.slice(14)}`, name: '张*丰' });
    expect((await list({ personalData: true })).rows[0]).toMatchObject({ person_id: P, name: '张三丰' });
    expect((await list({ code: 'minor_admission' })).rows.map((r) => r.claim_id)).toEqual(['M1']);
    expect((await list({ township: '410523200' })).total).toBe(0);
    expect((await list({ facility: 'H1', limit: 1 })).total).toBe(3);
    await expect(list({ code: 'nonsense' })).rejects.toThrow(/code 应为审核规则代码之一/);
    await expect(list({ state: 'done' })).rejects.toThrow(/state 应为/);
  });

  it('confirms, dismisses with a reason, and adds up partial recoveries; refuses what the state does not allow', async () => {
    await expect(recordReview(wh.conn, { ...key('minor_admission', 'M1'), action: 'dismiss', by: 'auditor1' })).rejects.toThrow(/排除需要写明理由/);
    await expect(recordReview(wh.conn, { ...key('duplicate_claim', 'D1'), action: 'confirm', by: 'auditor1' })).rejects.toThrow(/没有结算 D1 的审核发现/);
    await expect(recordReview(wh.conn, { ...key('duplicate_claim', 'D2'), action: 'recover', amount: '10', recovered_on: '2006-01-05', by: 'auditor1' })).rejects.toThrow(/只有「确认违规」/);
    // the amount to recover defaults to the amount at stake
    expect(await recordReview(wh.conn, { ...key('duplicate_claim', 'D2'), action: 'confirm', by: 'auditor1' })).toEqual({ state: 'confirmed', to_recover: '100.00', recovered: '0.00' });
    expect(await recordReview(wh.conn, { ...key('overlapping_stays', 'D2'), action: 'dismiss', reason: '与重复结算为同一笔', by: 'admin' })).toMatchObject({ state: 'dismissed' });
    expect(await recordReview(wh.conn, { ...key('minor_admission', 'M1'), action: 'dismiss', reason: '高热，确需住院', by: 'auditor1' })).toMatchObject({ state: 'dismissed' });
    await expect(recordReview(wh.conn, { ...key('duplicate_claim', 'D2'), action: 'confirm', by: 'auditor1' })).rejects.toThrow(/已复核为「确认违规」/);
    // 60 + 40 = 100: recovered; 50 after the 60 would be more than the 40 left
    expect(await recordReview(wh.conn, { ...key('duplicate_claim', 'D2'), action: 'recover', amount: '60', recovered_on: '2006-01-05', by: 'auditor1' })).toEqual({ state: 'confirmed', to_recover: '100.00', recovered: '60.00' });
    await expect(recordReview(wh.conn, { ...key('duplicate_claim', 'D2'), action: 'recover', amount: '50', recovered_on: '2006-01-06', by: 'auditor1' })).rejects.toThrow(/超过尚待追回的 40.00 元/);
    await expect(recordReview(wh.conn, { ...key('duplicate_claim', 'D2'), action: 'recover', amount: '40', recovered_on: '2006-13-01', by: 'auditor1' })).rejects.toThrow(/追回日期/);
    await expect(recordReview(wh.conn, { ...key('duplicate_claim', 'D2'), action: 'recover', amount: '4.001', recovered_on: '2006-01-06', by: 'auditor1' })).rejects.toThrow(/amount 应为金额/);
    expect(await recordReview(wh.conn, { ...key('duplicate_claim', 'D2'), action: 'recover', amount: '40.00', recovered_on: '2006-02-01', by: 'auditor1' })).toEqual({ state: 'recovered', to_recover: '100.00', recovered: '100.00' });
    const history = await readReviewHistory(wh.conn, key('duplicate_claim', 'D2'));
    expect(history.map((h) => [h.action, h.amount, h.recovered_on, h.by])).toEqual([
      ['confirm', '100.00', null, 'auditor1'],
      ['recover', '60.00', '2006-01-05', 'auditor1'],
      ['recover', '40.00', '2006-02-01', 'auditor1'],
    ]);
    expect(history.every((h) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(h.at))).toBe(true);
    // the figures per rule: D2's duplicate recovered (100 of 100), its overlap and M1 dismissed
    const figures = (await readAuditRuleFigures(wh.conn, { year: 2005, grain: 'township' })).map((f) => [f.unit, f.code, f.flagged, f.at_stake, f.pending, f.confirmed, f.dismissed, f.recovered_count, f.to_recover, f.recovered]);
    expect(figures).toEqual([
      ['410523100', 'duplicate_claim', 1, '100.00', 0, 0, 0, 1, '100.00', '100.00'],
      ['410523100', 'minor_admission', 1, '40.00', 0, 0, 1, 0, '0.00', '0.00'],
      ['410523100', 'overlapping_stays', 1, '100.00', 0, 0, 1, 0, '0.00', '0.00'],
    ]);
    expect((await readAuditRuleFigures(wh.conn, { year: 2005, grain: 'facility', period: 'month' })).map((f) => [f.unit, f.period, f.code])).toEqual([
      ['H1', '2005-03', 'duplicate_claim'], ['H1', '2005-03', 'overlapping_stays'], ['H1', '2005-06', 'minor_admission'],
    ]);
    expect((await list({ state: 'dismissed' })).rows.map((r) => [r.claim_id, r.reason, r.reviewed_by])).toEqual([
      ['D2', '与重复结算为同一笔', 'admin'],
      ['M1', '高热，确需住院', 'auditor1'],
    ]);
  });

  it('keeps every decision through a reload of the same file, a correction of a claim and the refresh after it', async () => {
    await wh.county.load({ 'his/h.csv': claims('40') });
    await wh.county.refresh();
    const states = async () => brief(await list());
    expect(await states()).toEqual([
      ['duplicate_claim', 'D2', '100.00', 'recovered', '100.00', '100.00', false],
      ['overlapping_stays', 'D2', '100.00', 'dismissed', null, '0.00', false],
      ['minor_admission', 'M1', '40.00', 'dismissed', null, '0.00', false],
    ]);
    // M1 corrected by the hospital (45 paid): its decision stays and shows the claim changed
    await wh.county.load({ 'his/h.csv': claims('45') });
    expect(await wh.county.refresh()).toEqual([2005]);
    expect(await states()).toEqual([
      ['duplicate_claim', 'D2', '100.00', 'recovered', '100.00', '100.00', false],
      ['overlapping_stays', 'D2', '100.00', 'dismissed', null, '0.00', false],
      ['minor_admission', 'M1', '45.00', 'dismissed', null, '0.00', true],
    ]);
  });
});
