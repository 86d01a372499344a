import { describe, expect, it } from 'vitest';
import { formatRows } from './output.ts';

describe("the command line's CSV", () => {
  it('neutralises a name that a spreadsheet would run, and keeps negative money a number', () => {
    const rows = [{ name: '=HYPERLINK("http://evil.example")', balance: '-1234.50', tags: ['@a', 'b'] }];
    expect(formatRows(rows, ['name', 'balance', 'tags'], 'csv')).toBe('name,balance,tags\n"\'=HYPERLINK(""http://evil.example"")",-1234.50,\'@a;b\n');
    // JSON is data for programs: as it is.
    expect(JSON.parse(formatRows(rows, ['name'], 'json'))).toEqual([{ name: '=HYPERLINK("http://evil.example")' }]);
  });
});
