/**
 * Read and check one file in one pass: prepare (encoding, format) → DuckDB reads the file
 * and the compiled check runs over its rows as they are read → problems of the bad rows.
 * Leaves on the connection: the table `chk_rows` and the view `chk` over it (checked rows
 * with `__line`), `dup` (keys repeated in the file) and `problems` (line, column_name,
 * reason — CSV rows the reader could not split included); the caller drops them with
 * `dropChecked`. Whole-file problems throw FileRejection. Used by the load pipeline and by
 * commands that work on files alone.
 */
import { FileRejection, prepareFile, type Encoding, type HeaderMapping, type KindSpec, type PreparedFile } from '@ncms/extracts';
import { query, withSetting, type DuckDBConnection } from '@ncms/warehouse';
import { openSource, readerRejects, csvLineSql, type ReaderReject } from '../extract/source.ts';
import { compileKind, type CompiledKind } from './compile.ts';
import { findDuplicates, collectProblems, countReasons, type Problem, type ReasonCount } from './problems.ts';

export interface CheckedFile {
  prepared: PreparedFile;
  mapping: HeaderMapping;
  compiled: CompiledKind;
  dataRows: number;
  badRows: number;
  /** The first problems in line order, for summaries. */
  firstProblems: Problem[];
  /** All problems counted by column and reason. */
  reasons: ReasonCount[];
}

const NOT_UTF8 = '文件不是有效的 UTF-8 编码 (invalid UTF-8 bytes)；可去掉 --encoding 让系统自动识别';

/**
 * A CSV row's line is its position among the records read, i.e. its rowid in `chk_rows`: that
 * holds only while every operator of the check keeps the file's order. DuckDB turns an IN list of
 * six or more constants (the yes/no spellings) into a join, which does not; that rewrite is off
 * here, and the plan is checked before it runs, so a rule written some day in a way that
 * reorders rows fails loudly instead of giving wrong line numbers.
 */
async function readChecked(conn: DuckDBConnection, spec: KindSpec, prepared: PreparedFile) {
  const source = await openSource(conn, spec, prepared);
  const compiled = compileKind(spec, source.mapping.columns.keys());
  await conn.run('DROP VIEW IF EXISTS chk; DROP TABLE IF EXISTS chk_rows;');
  const ctas = `CREATE TEMP TABLE chk_rows AS ${compiled.checkSelect(source.relation, source.hasLine)}`;
  await withSetting(conn, 'disabled_optimizers', 'in_clause', async () => {
    // The plan's shape follows from the compiled check alone, so it is checked once per shape.
    const shape = compiled.checkSelect('source', false);
    const checked = keepsFileOrder.get(conn) ?? new Set<string>();
    if (!source.hasLine && !checked.has(shape)) {
      await assertKeepsFileOrder(conn, ctas);
      keepsFileOrder.set(conn, checked.add(shape));
    }
    await conn.run(ctas);
  });
  const rejects: ReaderReject[] = source.keepsRejects ? await readerRejects(conn) : [];
  return { source, compiled, rejects };
}

/** Check shapes whose plan was seen to keep file order, per connection (its thread count is fixed). */
const keepsFileOrder = new WeakMap<DuckDBConnection, Set<string>>();

/**
 * With more than one thread, rows keep the file's order only under the order-keeping table
 * writer, which DuckDB plans only when every operator below it keeps order; one thread runs
 * the plan in the file's order.
 */
export async function assertKeepsFileOrder(conn: DuckDBConnection, statement: string): Promise<void> {
  const [{ threads } = { threads: 1 }] = await query<{ threads: number }>(conn, "SELECT current_setting('threads')::INTEGER AS threads");
  if (threads <= 1) return;
  const plan = (await query<{ explain_value: string }>(conn, `EXPLAIN ${statement}`)).map((r) => r.explain_value).join('\n');
  if (!plan.includes('BATCH_CREATE_TABLE_AS'))
    throw new Error('内部错误：检查步骤的执行计划不保持文件行序，行号将不可靠 (internal: the check plan does not keep file order)');
}

export async function checkFile(
  conn: DuckDBConnection,
  spec: KindSpec,
  path: string,
  opts: { tmpDir: string; encoding?: Encoding; contentHash?: string },
): Promise<CheckedFile> {
  let prepared = await prepareFile(path, opts);
  let read = await readChecked(conn, spec, prepared);
  if (read.rejects.some((r) => r.encoding)) {
    // The beginning of the file looked like UTF-8 but later bytes are not: read it as GB18030.
    if (opts.encoding === 'utf-8' || prepared.encoding !== 'utf-8') throw new FileRejection(NOT_UTF8);
    prepared = await prepareFile(path, { ...opts, encoding: 'gb18030', contentHash: prepared.contentHash });
    read = await readChecked(conn, spec, prepared);
  }
  const { source, compiled, rejects } = read;
  const line = source.hasLine ? '__line' : `${csvLineSql('chk_rows', rejects.length)} AS __line`;
  await conn.run(`CREATE TEMP VIEW chk AS SELECT ${line}, * FROM chk_rows`);
  const [{ n } = { n: 0 }] = await query<{ n: number }>(conn, 'SELECT count(*) AS n FROM chk_rows');
  if (n + rejects.length === 0) throw new FileRejection('文件没有数据行，只有表头或为空 (no data rows)');
  await findDuplicates(conn, spec);
  await collectProblems(conn, spec, compiled.problemsSql);
  for (const r of rejects) await conn.run('INSERT INTO problems VALUES ($1, NULL, $2)', [r.line, `CSV 行无法解析 (${r.reason})`]);
  const [bad] = await query<{ n: number }>(conn, 'SELECT count(DISTINCT line) AS n FROM problems');
  const firstProblems = await query<Problem>(conn, 'SELECT line, column_name, reason FROM problems ORDER BY line LIMIT 20');
  return { prepared, mapping: source.mapping, compiled, dataRows: n + rejects.length, badRows: bad?.n ?? 0, firstProblems, reasons: await countReasons(conn) };
}
