import { describe, expect, it } from 'vitest';
import { rows } from '@ncms/warehouse';
import { useScratch } from './test-support/scratch.ts';
import { diagnosisChapter, diagnosisChapterSql } from './index.ts';

const db = useScratch(1);

// Chapters by hand from ICD-10's table of chapters (the edges of neighbouring ranges included).
const CASES: [string | null, string][] = [
  ['A09', 'I'], ['B99.9', 'I'], ['C34.1', 'II'], ['D48.9', 'II'], ['D49', 'unknown'], ['D50.0', 'III'], ['E11.9', 'IV'],
  ['H59', 'VII'], ['H60.3', 'VIII'], ['I10', 'IX'], ['J18.9', 'X'], ['j45', 'X'], [' K35 ', 'XI'], ['K94', 'unknown'],
  ['O80', 'XV'], ['S72.0', 'XIX'], ['T14', 'XIX'], ['V01', 'XX'], ['Y98', 'XX'], ['Z38.0', 'XXI'], ['U07.1', 'XXII'],
  ['', 'unknown'], [null, 'unknown'], ['肺炎', 'unknown'], ['J1', 'unknown'],
];

describe('diagnosis chapters', () => {
  it('TypeScript names the chapter as ICD-10 does', () => {
    for (const [code, chapter] of CASES) expect(diagnosisChapter(code), String(code)).toBe(chapter);
  });

  it('the SQL names the same chapters', async () => {
    const values = CASES.map(([c], i) => `(${i}, ${c === null ? 'NULL' : `'${c}'`})`).join(', ');
    const got = await rows<{ i: number; chapter: string }>(db.conn, `SELECT i, ${diagnosisChapterSql('code')} AS chapter FROM (VALUES ${values}) t(i, code) ORDER BY i`);
    expect(got.map((r) => r.chapter)).toEqual(CASES.map(([, ch]) => ch));
  });
});
