/**
 * What changed between the report as it was sent and as it would be made now: the figures of
 * every numbered table, cell by cell, matched by table title, row label (first column) and
 * column heading — so a table that gained a row (a new township) shows that row as new.
 */
import type { Report } from '../model.ts';

export interface FigureChange {
  table: string;
  row: string;
  column: string;
  /** As printed; `—` where the cell did not exist. */
  before: string;
  after: string;
}

function cells(r: Report): Map<string, { table: string; row: string; column: string; text: string }> {
  const out = new Map<string, { table: string; row: string; column: string; text: string }>();
  for (const s of r.sections) {
    for (const b of s.blocks) {
      if (b.kind !== 'table') continue;
      const t = b.table;
      for (const row of t.rows) {
        const label = row[0]?.text ?? '';
        row.forEach((c, i) => {
          if (i === 0) return;
          const column = t.columns[i] ?? String(i);
          out.set(JSON.stringify([t.title, label, column]), { table: t.title, row: label, column, text: c.text });
        });
      }
    }
  }
  return out;
}

/** The changed figures, in the order of the current report (then those that disappeared). */
export function reportDifferences(sent: Report, now: Report): FigureChange[] {
  const before = cells(sent);
  const after = cells(now);
  const changes: FigureChange[] = [];
  for (const [key, c] of after) {
    const was = before.get(key)?.text ?? '—';
    if (was !== c.text) changes.push({ table: c.table, row: c.row, column: c.column, before: was, after: c.text });
  }
  for (const [key, c] of before) {
    if (!after.has(key)) changes.push({ table: c.table, row: c.row, column: c.column, before: c.text, after: '—' });
  }
  return changes;
}
