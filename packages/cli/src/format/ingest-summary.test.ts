import { describe, expect, it } from 'vitest';
import type { FileResult, IngestSummary } from '@ncms/pipelines';
import { formatSummary } from './ingest-summary.ts';

const rows = (total: number, quarantined: number) => ({ total, loaded: total - quarantined, replaced: 0, unchanged: 0, quarantined });
const none = { files: 0, loaded: 0, replaced: 0, unchanged: 0, quarantined: 0 };
const file = (f: Partial<FileResult> & Pick<FileResult, 'kind' | 'path' | 'status'>): FileResult => ({ rows: rows(0, 0), unknownColumns: [], problems: [], reasons: [], ...f });

/** Two rolls with bad rows (the same reason in both), a rejected claims file. */
const summary: IngestSummary = {
  runId: 1,
  sourceDir: '/src',
  files: [
    file({
      kind: 'enrollment', path: '/src/enrollment/e-2004.csv', status: 'loaded', rows: rows(100, 3),
      problems: [{ line: 99, column_name: 'person_id', reason: '身份证号校验位错误' }],
      reasons: [{ column_name: 'person_id', reason: '身份证号校验位错误', count: 2 }, { column_name: 'enrolled_on', reason: '日期无法识别', count: 1 }],
    }),
    file({ kind: 'enrollment', path: '/src/enrollment/e-2005.csv', status: 'loaded', rows: rows(100, 2), reasons: [{ column_name: 'person_id', reason: '身份证号校验位错误', count: 2 }] }),
    file({ kind: 'his', path: '/src/his/h-补报.csv', status: 'rejected', reason: '缺少必需的列：reimbursed' }),
  ],
  waiting: [],
  byKind: { census: none, facilities: none, enrollment: { files: 2, loaded: 195, replaced: 0, unchanged: 0, quarantined: 5 }, his: { ...none, files: 1 }, ledger: none },
  findings: { enrolleesInUnknownVillages: 0, claimsAtUnknownFacilities: 0, claimsOfNonEnrolled: 0, enrolmentChanges: 0 },
  rejected: true,
  startedAt: new Date(0),
  finishedAt: new Date(0),
};

describe('the import summary', () => {
  it('lists each file with its first bad lines', () => {
    const text = formatSummary(summary);
    expect(text).toMatch(/已载入 loaded +enrollment\/e-2004\.csv/);
    expect(text).toMatch(/第 99 行 line 99 \[person_id\]: 身份证号校验位错误/);
  });

  it('by reason: the bad rows counted by kind and reason over the files, the rejected file still named', () => {
    const lines = formatSummary(summary, { byReason: true }).split('\n');
    expect(lines.some((l) => l.includes('e-2004.csv'))).toBe(false);
    expect(lines.some((l) => /已拒收 rejected +his\/h-补报\.csv/.test(l))).toBe(true);
    const at = lines.indexOf('  参合花名册 enrollment:');
    expect(at).toBeGreaterThan(0);
    // 2 + 2 wrong check characters over the two rolls, then the one bad date
    expect(lines.slice(at + 1, at + 3).map((l) => l.trim().replace(/\s+/, ' '))).toEqual(['4 [person_id] 身份证号校验位错误', '1 [enrolled_on] 日期无法识别']);
  });
});
