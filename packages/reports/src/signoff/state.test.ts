import { describe, expect, it } from 'vitest';
import { signoffState, type SignoffAction, type SignoffEvent } from './state.ts';

let id = 0;
const ev = (action: SignoffAction, dataVersion: string): SignoffEvent => ({ id: ++id, action, by: '张三', at: '2007-01-15 09:00:00', dataVersion, dataAsOf: '2007-01-10 08:00:00' });

describe('sign-off rules', () => {
  it('a draft may be reviewed, not sent or withdrawn', () => {
    const s = signoffState([], 'v1');
    expect(s.status).toBe('draft');
    expect(s.may).toEqual({ reviewed: true, withdrawn: '本报告尚未审核', submitted: '请先审核，再上报' });
  });

  it('a reviewed report may be sent or withdrawn while the data stays as reviewed', () => {
    const s = signoffState([ev('reviewed', 'v1')], 'v1');
    expect(s.status).toBe('reviewed');
    expect(s.dataChanged).toBe(false);
    expect(s.may).toEqual({ reviewed: '本报告已审核', withdrawn: true, submitted: true });
  });

  it('data that changed after the review must be reviewed again before it is sent', () => {
    const s = signoffState([ev('reviewed', 'v1')], 'v2');
    expect(s.dataChanged).toBe(true);
    expect(s.may.submitted).toBe('审核后数据已更新，请重新审核后再上报');
    expect(s.may.reviewed).toBe(true);
  });

  it('a sent report cannot be withdrawn; after a correction it may be reviewed and sent again', () => {
    const sent = [ev('reviewed', 'v1'), ev('submitted', 'v1')];
    const same = signoffState(sent, 'v1');
    expect(same.status).toBe('submitted');
    expect(same.lastSubmitted?.id).toBe(sent[1]!.id);
    expect(same.may).toEqual({ reviewed: '本报告已按当前数据上报', withdrawn: '已上报的报告不能撤销审核', submitted: '本报告已上报' });
    const corrected = signoffState(sent, 'v2');
    expect(corrected.dataChanged).toBe(true);
    expect(corrected.may.reviewed).toBe(true);
    expect(corrected.may.submitted).toBe('请先审核，再上报');
  });

  it('a withdrawn review leaves a draft; the last report sent still marks the data as changed', () => {
    const s = signoffState([ev('reviewed', 'v1'), ev('submitted', 'v1'), ev('reviewed', 'v2'), ev('withdrawn', 'v2')], 'v2');
    expect(s.status).toBe('draft');
    expect(s.last).toBeUndefined();
    expect(s.dataChanged).toBe(true);
  });

  it('a period without data can be neither reviewed nor sent', () => {
    const s = signoffState([], null);
    expect(s.may.reviewed).toBe('本期没有数据，不能审核或上报');
    expect(s.may.submitted).toBe('本期没有数据，不能审核或上报');
  });
});
