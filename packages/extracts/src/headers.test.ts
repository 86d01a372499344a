import { describe, expect, it } from 'vitest';
import { mapHeaders, normalizeHeader } from './headers.ts';
import { his, enrollment } from './kinds.ts';

describe('mapHeaders', () => {
  it('maps Chinese aliases and canonical names, ignoring case and white space', () => {
    const m = mapHeaders(enrollment, ['年度', ' Person_ID ', '姓 名', '户号', '区划代码', 'Extra Col']);
    expect(m.columns.get('year')).toBe('年度');
    expect(m.columns.get('person_id')).toBe(' Person_ID ');
    expect(m.columns.get('name')).toBe('姓 名');
    expect(m.unknown).toEqual(['Extra Col']);
    expect(m.missingRequired).toEqual([]);
  });

  it('names the missing required columns', () => {
    const m = mapHeaders(his, ['结算单号', '身份证号', '机构编码', '就诊类型', '入院日期', '总费用']);
    expect(m.missingRequired).toEqual(['reimbursed']);
  });

  it('accepts the drug cost parts in place of drug_cost', () => {
    const m = mapHeaders(his, ['claim_id', 'person_id', 'facility_code', 'visit_type', 'admission_date', 'total_cost', 'reimbursed', '西药费', '中成药费']);
    expect(m.columns.get('western_drug_cost')).toBe('西药费');
    expect(m.missingRequired).toEqual([]);
  });

  it('strips a BOM and full-width spaces', () => {
    expect(normalizeHeader('\uFEFF年\u3000度')).toBe('年度');
  });
});
