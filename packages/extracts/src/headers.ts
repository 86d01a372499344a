import type { ColumnSpec, KindSpec } from './kinds.ts';

/** Header comparison ignores case and every kind of white space (full-width too). */
export function normalizeHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').replace(/[\s\u3000]+/g, '').toLowerCase();
}

export interface HeaderMapping {
  /** canonical column name → header as written in the file */
  columns: Map<string, string>;
  missingRequired: string[];
  unknown: string[];
  /** canonical names given by more than one header */
  repeated: string[];
}

function columnsOf(spec: KindSpec): ColumnSpec[] {
  return [...spec.columns, ...(spec.derived?.fromAny ?? [])];
}

export function mapHeaders(spec: KindSpec, headers: readonly string[]): HeaderMapping {
  const byAlias = new Map<string, string>();
  for (const c of columnsOf(spec)) {
    for (const a of [c.name, ...c.aliases]) byAlias.set(normalizeHeader(a), c.name);
  }
  const columns = new Map<string, string>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  for (const h of headers) {
    const canonical = byAlias.get(normalizeHeader(h));
    if (!canonical) {
      if (h.trim() !== '') unknown.push(h);
    } else if (columns.has(canonical)) {
      repeated.push(canonical);
    } else {
      columns.set(canonical, h);
    }
  }
  const missingRequired = spec.columns
    .filter((c) => c.required && !columns.has(c.name))
    .filter((c) => !(spec.derived?.column === c.name && spec.derived.fromAny.some((d) => columns.has(d.name))))
    .map((c) => c.name);
  return { columns, missingRequired, unknown, repeated };
}

export function describeMissing(spec: KindSpec, missing: readonly string[]): string {
  return missing
    .map((m) => {
      const c = spec.columns.find((x) => x.name === m);
      return c ? `${c.name}（${c.aliases.join(' / ')}）` : m;
    })
    .join('、');
}
