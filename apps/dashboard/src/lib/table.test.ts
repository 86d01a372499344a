import { describe, expect, it } from 'vitest';
import { moneyUnits, sortRows, toCsv, type TableData } from './table.ts';

describe('money units of a table', () => {
  it('keeps a column\'s fixed unit (per-stay amounts in 元), and picks the others by their size', () => {
    const t: TableData = {
      title: 't',
      columns: [
        { key: 'avg', label: '次均住院费用', unit: 'yuan', money: '元' },
        { key: 'total', label: '住院总费用', unit: 'yuan' },
      ],
      rows: [{ avg: '12345678.00', total: '12345678.00' }],
    };
    expect(moneyUnits(t)).toEqual({ avg: '元', total: '万元' });
  });
});

describe('sortRows', () => {
  it('sorts numbers and text either way, empty values last both ways', () => {
    const rows = [{ v: 3 }, { v: null }, { v: 10 }, { v: 1 }];
    expect(sortRows(rows, (r) => r.v, false).map((r) => r.v)).toEqual([1, 3, 10, null]);
    expect(sortRows(rows, (r) => r.v, true).map((r) => r.v)).toEqual([10, 3, 1, null]);
    expect(sortRows(['乙', '甲', 'b', 'a'], (s) => s, false)).toEqual(['a', 'b', '乙', '甲']);
  });
});

describe("a page's CSV", () => {
  it('neutralises a name that would run as a formula and keeps negative money a number', () => {
    const t: TableData = {
      title: 't',
      columns: [
        { key: 'name', label: '村', unit: 'text' },
        { key: 'balance', label: '结余', unit: 'yuan' },
      ],
      rows: [{ name: '=HYPERLINK("http://evil.example","东关村")', balance: '-1234.50' }, { name: '@东关村', balance: '10.00' }],
    };
    expect(toCsv(t)).toBe('\uFEFF村,结余（元）\r\n"\'=HYPERLINK(""http://evil.example"",""东关村"")",-1234.50\r\n\'@东关村,10.00\r\n');
  });
});
