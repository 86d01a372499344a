import { describe, expect, it } from 'vitest';
import { moneyUnits, type TableData } from './table.ts';

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
