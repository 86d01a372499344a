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
