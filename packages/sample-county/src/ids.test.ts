import { describe, expect, it } from 'vitest';
import { breakCheck, checkChar, makeId, toOld15 } from './ids.ts';
import { Random } from './random.ts';

describe('ID numbers', () => {
  it('computes check characters by the GB 11643 weights', () => {
    // The standard's worked example, and 41052319800101001 by hand: Σ = 165, 165 mod 11 = 0 → '1'.
    expect(checkChar('11010519491231002')).toBe('X');
    expect(checkChar('41052319800101001')).toBe('1');
  });
  it('makes, breaks and shortens IDs', () => {
    const id = makeId('410523', '19800101', 1);
    expect(id).toBe('410523198001010011');
    expect(breakCheck(id)).not.toBe(id);
    expect(breakCheck(id).slice(0, 17)).toBe(id.slice(0, 17));
    expect(toOld15(id)).toBe('410523800101001');
  });
});

describe('Random', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = new Random(1), b = new Random(1), c = new Random(2);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
