/**
 * Whether a figure meets its target or stays within its limit, in a colour and a word (a colour
 * alone says nothing to a colour-blind reader or on a grey printout). Red means "needs attention",
 * never "up".
 */
export type Status = 'good' | 'warn' | 'bad' | 'none';

export interface Verdict {
  status: Status;
  word: string;
}

/** At least `target` is good; within `margin` below it is close; further below misses it. */
export function atLeast(value: number | null | undefined, target: number | undefined, margin = 0.05): Verdict {
  if (value == null || target === undefined) return { status: 'none', word: '' };
  if (value >= target) return { status: 'good', word: '达标' };
  if (value >= target - margin) return { status: 'warn', word: '接近目标' };
  return { status: 'bad', word: '未达标' };
}

/** At most `limit` (and not below `floor`) is good; over it breaks the limit. */
export function atMost(value: number | null | undefined, limit: number | undefined, floor?: number): Verdict {
  if (value == null) return { status: 'none', word: '' };
  if (floor !== undefined && value < floor) return { status: 'bad', word: '收不抵支' };
  if (limit === undefined) return { status: 'none', word: '' };
  return value <= limit ? { status: 'good', word: '在控制线内' } : { status: 'bad', word: '超出控制线' };
}

/** ↑ / ↓ / → against last year. */
export function trend(now: number | null | undefined, before: number | null | undefined): '↑' | '↓' | '→' | '' {
  if (now == null || before == null) return '';
  if (now > before) return '↑';
  if (now < before) return '↓';
  return '→';
}
