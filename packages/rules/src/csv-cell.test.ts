import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, neutraliseCell } from './csv-cell.ts';

describe('an exported CSV cell', () => {
  it('puts a quote before a text that a spreadsheet would run as a formula', () => {
    expect(neutraliseCell('=HYPERLINK("http://evil.example","点此")')).toBe('\'=HYPERLINK("http://evil.example","点此")');
    expect(neutraliseCell('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(neutraliseCell('+86-cmd')).toBe("'+86-cmd");
    expect(neutraliseCell('-2+3+cmd|calc')).toBe("'-2+3+cmd|calc");
    expect(neutraliseCell('\t=1')).toBe("'\t=1");
    expect(neutraliseCell('\r=1')).toBe("'\r=1");
  });

  it('leaves numbers numbers, and ordinary text as it is', () => {
    for (const n of ['-12.50', '-3', '+3', '-0.0457', '-1e3', '12', '']) expect(neutraliseCell(n), n).toBe(n);
    for (const t of ['东关村', '县人民医院', 'a=b', '410523101']) expect(neutraliseCell(t), t).toBe(t);
  });

  it('quotes after neutralising, so the quote sits inside the field', () => {
    expect(csvCell('=1,2')).toBe('"\'=1,2"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvRow(['=A1', '-5.00', '东关村'])).toBe("'=A1,-5.00,东关村");
  });
});
