/**
 * Runs the models a caller asks for, and the models they read, in dependency order on one
 * connection. Each run names its relations `<model>__<run>`, so two runs never share a name,
 * and drops them when asked. `{{ ref('m') }}` becomes the relation of model m in this run;
 * `{{ var('v') }}` the literal of variable v. Models written in TypeScript (the policy's
 * tables, the compensation engine's SQL) take part in the same graph.
 */
import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@ncms/warehouse';
import { loadModels } from './model-files.ts';

/** A variable's value: rendered as an SQL literal (lists as DuckDB lists; `{ sql }` as written). */
export type VarValue = string | number | boolean | null | { sql: string } | readonly VarValue[];

export interface CodeModel {
  name: string;
  refs: readonly string[];
  materialized: 'view' | 'table';
  /** The model's SELECT, given the relations of the models it reads. */
  sql(ref: (name: string) => string): string;
}

/** Receives the name and milliseconds of each step of a computation. */
export type StepTimer = (step: string, ms: number) => void;

export interface ModelRun {
  /** The relation (temp table or view) holding model `name` in this run. */
  relation(name: string): string;
  /** Drops every relation of the run. */
  drop(): Promise<void>;
}

export function sqlLiteral(v: VarValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (Array.isArray(v)) return `[${v.map(sqlLiteral).join(', ')}]`;
  return (v as { sql: string }).sql;
}

const REF = /\{\{\s*ref\('([a-z0-9_]+)'\)\s*\}\}/g;
const VAR = /\{\{\s*var\('([a-z0-9_]+)'\)\s*\}\}/g;

export async function runModels(
  conn: DuckDBConnection,
  opts: {
    want: readonly string[];
    vars: Record<string, VarValue>;
    code?: readonly CodeModel[];
    /** Models whose rows already exist elsewhere: model name → a relation holding them (not computed). */
    provided?: Readonly<Record<string, string>>;
    /** Told how long each model took (the benchmark's breakdown). */
    onStep?: StepTimer;
    /** Models written to a table of the database under this name rather than to a temp table. */
    persist?: Readonly<Record<string, string>>;
    /** Models kept to the rows matching a condition (SQL over the model's columns). */
    where?: Readonly<Record<string, string>>;
  },
): Promise<ModelRun> {
  const sqlModels = await loadModels();
  const byName = new Map<string, { refs: readonly string[]; materialized: 'view' | 'table'; sql: (ref: (n: string) => string) => string }>();
  for (const m of sqlModels) {
    byName.set(m.name, {
      refs: m.refs,
      materialized: m.materialized,
      sql: (ref) =>
        m.sql.replace(REF, (_, n: string) => ref(n)).replace(VAR, (_, v: string) => {
          if (!(v in opts.vars)) throw new Error(`model ${m.name} reads var('${v}'), which this run does not set`);
          return sqlLiteral(opts.vars[v]!);
        }),
    });
  }
  for (const c of opts.code ?? []) byName.set(c.name, c);

  // Depth-first: every model after the models it reads.
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const provided = opts.provided ?? {};
  const visit = (name: string, from?: string) => {
    if (name in provided) return;
    const m = byName.get(name);
    if (!m) throw new Error(`model ${name}${from ? ` (read by ${from})` : ''} does not exist`);
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`models read each other in a circle at ${name}`);
    state.set(name, 'visiting');
    for (const r of m.refs) visit(r, name);
    state.set(name, 'done');
    order.push(name);
  };
  for (const w of opts.want) visit(w);

  const run = randomBytes(4).toString('hex');
  const persist = opts.persist ?? {};
  const relation = (name: string) => {
    if (name in provided) return provided[name]!;
    if (name in persist) return persist[name]!;
    if (!byName.has(name)) throw new Error(`model ${name} does not exist`);
    return `"${name}__${run}"`;
  };
  const made: { name: string; kind: 'TABLE' | 'VIEW' }[] = [];
  const drop = async () => {
    // Views first: they read the tables.
    while (made.length) {
      const r = made.pop()!;
      await conn.run(`DROP ${r.kind} IF EXISTS ${relation(r.name)}`);
    }
  };
  try {
    for (const name of order) {
      const m = byName.get(name)!;
      const kind = m.materialized === 'table' || name in persist ? 'TABLE' : 'VIEW';
      const sql = opts.where?.[name] ? `SELECT * FROM (${m.sql(relation)}) WHERE ${opts.where[name]}` : m.sql(relation);
      const t0 = performance.now();
      await conn.run(`CREATE ${name in persist ? '' : 'TEMP '}${kind} ${relation(name)} AS ${sql}`);
      opts.onStep?.(name, performance.now() - t0);
      made.push({ name, kind });
    }
  } catch (e) {
    await drop().catch(() => undefined);
    throw e;
  }
  return { relation, drop };
}
