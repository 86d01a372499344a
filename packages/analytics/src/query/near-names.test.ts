import { describe, expect, it } from 'vitest';
import { editDistance, nearNames } from './near-names.ts';

describe('near names', () => {
  it('counts edits as Levenshtein does', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3); // k→s, e→i, +g
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('offers the nearest first, names containing the typed one, and nothing for a name far from all', () => {
    const names = ['underpaid', 'underpaid_count', 'underpaid_amount', 'overpaid_count', 'enrollees'];
    // underpaid_count: 2 edits (+o, +u); underpaid: contained in the name typed; overpaid_count: 4 edits, beyond 13 ÷ 3
    expect(nearNames('underpaid_cnt', names)).toEqual(['underpaid_count', 'underpaid', 'underpaid_amount']);
    expect(nearNames('enrolees', names)).toEqual(['enrollees']);
    expect(nearNames('zzzzzzzz', names)).toEqual([]);
  });
});
