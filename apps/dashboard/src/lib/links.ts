/** Links that keep the filters of the current view, so a reader never loses the year they chose. */
export function withFilters(path: string, current: URL, keep: readonly string[] = ['year', 'township', 'village'], set: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const k of keep) {
    const v = current.searchParams.get(k);
    if (v !== null) params.set(k, v);
  }
  for (const [k, v] of Object.entries(set)) {
    if (v === undefined) params.delete(k);
    else params.set(k, String(v));
  }
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

/** The same page for one unit: a township's or a village's figures (drill-down), or the county's. */
export function unitHref(current: URL, level: string, code: string | null | undefined, path = current.pathname): string {
  const keep = ['year'];
  if (level === 'village' && code) return withFilters(path, current, keep, { township: code.slice(0, 9), village: code });
  if (level === 'township' && code) return withFilters(path, current, keep, { township: code });
  return withFilters(path, current, keep);
}

/** Where a click on a chart item leads: the unit it stands for (items carry `code` and `level`). */
export function drillHref(current: URL, item: { data: unknown }, path = current.pathname): string | undefined {
  const d = item.data as { code?: string; level?: string } | null;
  if (!d?.code || (d.level !== 'township' && d.level !== 'village')) return undefined;
  return unitHref(current, d.level, d.code, path);
}
