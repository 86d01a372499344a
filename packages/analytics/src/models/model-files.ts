/**
 * The SQL models (models/staging, intermediate, marts: one model per file, the dbt habit) and
 * what their headers say: how a model is materialised, which models it reads (`{{ ref('x') }}`)
 * and which facts it defines (the `-- Facts:` list).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageFile } from '@ncms/warehouse';

export type Layer = 'staging' | 'intermediate' | 'marts';
const LAYERS: readonly Layer[] = ['staging', 'intermediate', 'marts'];

export interface SqlModel {
  name: string;
  layer: Layer;
  /** view: inlined where it is read; table: computed once per run. */
  materialized: 'view' | 'table';
  refs: string[];
  sql: string;
  /** Facts the model defines (its header's `-- Facts:` list), with their descriptions. */
  facts: Map<string, string>;
}

const REF = /\{\{\s*ref\('([a-z0-9_]+)'\)\s*\}\}/g;

/** The leading comment block of a model file, without the `-- ` markers. */
function header(sql: string): string[] {
  const lines: string[] = [];
  for (const line of sql.split('\n')) {
    if (!line.startsWith('--')) break;
    lines.push(line.replace(/^-- ?/, ''));
  }
  return lines;
}

/** `Facts:` followed by indented `name  description` lines (a continuation line is more indented). */
export function factsOf(lines: readonly string[]): Map<string, string> {
  const facts = new Map<string, string>();
  const start = lines.findIndex((l) => /^Facts\b/.test(l));
  if (start < 0) return facts;
  for (const line of lines.slice(start + 1)) {
    const m = /^ {2}([a-z][a-z0-9_]*)(?:\s{2,}(.*))?$/.exec(line);
    if (!m) {
      if (/^ {3,}\S/.test(line)) continue;
      break;
    }
    facts.set(m[1]!, m[2] ?? '');
  }
  return facts;
}

export function parseModel(name: string, layer: Layer, sql: string): SqlModel {
  const lines = header(sql);
  const materialized = lines.some((l) => /^materialized:\s*table\b/.test(l)) ? 'table' : 'view';
  const refs = [...new Set([...sql.matchAll(REF)].map((m) => m[1]!))];
  return { name, layer, materialized, refs, sql, facts: factsOf(lines) };
}

let cached: Promise<SqlModel[]> | undefined;

/** Every model file of the package, read once per process. */
export function loadModels(): Promise<SqlModel[]> {
  cached ??= (async () => {
    const root = packageFile('@ncms/analytics', 'models');
    const models: SqlModel[] = [];
    for (const layer of LAYERS) {
      for (const file of (await readdir(join(root, layer))).filter((f) => f.endsWith('.sql')).sort())
        models.push(parseModel(file.slice(0, -4), layer, await readFile(join(root, layer, file), 'utf8')));
    }
    return models;
  })();
  return cached;
}
