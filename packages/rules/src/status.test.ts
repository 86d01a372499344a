import { describe, expect, it } from 'vitest';
import { atLeast, atMost, trend } from './status.ts';

describe('verdicts', () => {
  it('judge a target, a limit and a trend with a word as well as a colour', () => {
    expect(atLeast(0.96, 0.95)).toEqual({ status: 'good', word: '达标' });
    expect(atLeast(0.92, 0.95)).toEqual({ status: 'warn', word: '接近目标' });
    expect(atLeast(0.8, 0.95)).toEqual({ status: 'bad', word: '未达标' });
    expect(atLeast(0.8, undefined).status).toBe('none');
    expect(atMost(0.08, 0.1, 0)).toEqual({ status: 'good', word: '在控制线内' });
    expect(atMost(0.12, 0.1, 0)).toEqual({ status: 'bad', word: '超出控制线' });
    expect(atMost(-0.2, 0.1, 0)).toEqual({ status: 'bad', word: '收不抵支' });
    expect([trend(2, 1), trend(1, 2), trend(1, 1), trend(null, 1)]).toEqual(['↑', '↓', '→', '']);
  });
});
