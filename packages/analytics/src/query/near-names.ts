/**
 * Names close to one that was not found (a typo, a family id half written), so an error can say
 * "did you mean": the candidates that contain it or that it contains, and those a few edits away,
 * nearest first.
 */

/** Edits (insert, delete, replace) between two strings: Levenshtein's distance. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** Up to `limit` candidates near `name`, nearest first (ties in the candidates' order). */
export function nearNames(name: string, candidates: readonly string[], limit = 5): string[] {
  const n = name.toLowerCase();
  // a third of the name's length in edits: `underpaid_cnt` finds `underpaid_count`, `rate` finds nothing at random
  const within = Math.max(2, Math.floor(n.length / 3));
  const scored: { c: string; d: number; i: number }[] = [];
  for (const [i, c] of [...new Set(candidates)].entries()) {
    const l = c.toLowerCase();
    const part = n.length >= 3 && (l.includes(n) || n.includes(l));
    const d = editDistance(n, l);
    if (part || d <= within) scored.push({ c, d, i });
  }
  return scored.sort((x, y) => x.d - y.d || x.i - y.i).slice(0, limit).map((s) => s.c);
}
