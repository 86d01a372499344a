/**
 * What analyst SQL may be: exactly one statement, and a read (SELECT, including DESCRIBE and
 * SUMMARIZE, which DuckDB parses as SELECT; or EXPLAIN). DuckDB's own parser decides, so no
 * spelling, comment or quoting trick gets a write past it. This is the first layer; the
 * instance's settings (no external access, the snapshot folder only, configuration locked) are
 * the second, and they hold even for a read that tries to reach a file.
 */
import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';

const READS = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN]);

const WHAT: Partial<Record<StatementType, string>> = {
  [StatementType.INSERT]: '写入数据（INSERT）',
  [StatementType.UPDATE]: '修改数据（UPDATE）',
  [StatementType.DELETE]: '删除数据（DELETE）',
  [StatementType.CREATE]: '创建表或视图（CREATE）',
  [StatementType.DROP]: '删除表或视图（DROP）',
  [StatementType.ALTER]: '修改表结构（ALTER）',
  [StatementType.COPY]: '导入导出文件（COPY）',
  [StatementType.EXPORT]: '导出数据库（EXPORT）',
  [StatementType.ATTACH]: '挂载其他数据库（ATTACH）',
  [StatementType.DETACH]: '卸载数据库（DETACH）',
  [StatementType.SET]: '修改设置（SET）',
  [StatementType.VARIABLE_SET]: '修改设置（SET）',
  [StatementType.PRAGMA]: '修改设置（PRAGMA）',
  [StatementType.LOAD]: '安装或加载扩展（INSTALL/LOAD）',
  [StatementType.EXTENSION]: '安装或加载扩展（INSTALL/LOAD）',
  [StatementType.UPDATE_EXTENSIONS]: '更新扩展',
  [StatementType.TRANSACTION]: '控制事务（BEGIN/COMMIT）',
  [StatementType.CALL]: '调用过程（CALL）',
  [StatementType.COPY_DATABASE]: '复制数据库（COPY FROM DATABASE）',
  [StatementType.VACUUM]: '整理数据库（VACUUM/CHECKPOINT）',
  [StatementType.CREATE_FUNC]: '创建函数（CREATE MACRO）',
  [StatementType.MERGE_INTO]: '合并写入（MERGE）',
  [StatementType.PREPARE]: '预备语句（PREPARE）',
  [StatementType.EXECUTE]: '执行预备语句（EXECUTE）',
};

/** A statement DuckDB could not prepare is still named by its first word, for the message only: nothing unprepared runs. */
const BY_KEYWORD: Record<string, StatementType> = {
  INSERT: StatementType.INSERT, UPDATE: StatementType.UPDATE, DELETE: StatementType.DELETE, TRUNCATE: StatementType.DELETE,
  CREATE: StatementType.CREATE, DROP: StatementType.DROP, ALTER: StatementType.ALTER, COMMENT: StatementType.ALTER,
  COPY: StatementType.COPY, EXPORT: StatementType.EXPORT, IMPORT: StatementType.COPY, ATTACH: StatementType.ATTACH, DETACH: StatementType.DETACH, USE: StatementType.SET,
  SET: StatementType.SET, RESET: StatementType.SET, PRAGMA: StatementType.PRAGMA, LOAD: StatementType.LOAD, INSTALL: StatementType.EXTENSION, FORCE: StatementType.EXTENSION,
  BEGIN: StatementType.TRANSACTION, START: StatementType.TRANSACTION, COMMIT: StatementType.TRANSACTION, ROLLBACK: StatementType.TRANSACTION, ABORT: StatementType.TRANSACTION, END: StatementType.TRANSACTION,
  CALL: StatementType.CALL, VACUUM: StatementType.VACUUM, CHECKPOINT: StatementType.VACUUM, ANALYZE: StatementType.VACUUM, MERGE: StatementType.MERGE_INTO,
  PREPARE: StatementType.PREPARE, EXECUTE: StatementType.EXECUTE, DEALLOCATE: StatementType.PREPARE,
};

function firstKeyword(sql: string): string {
  const bare = sql.replace(/^(\s|\(|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return (/^[A-Za-z_]+/.exec(bare)?.[0] ?? '').toUpperCase();
}

function refusedKind(type: StatementType): Refusal {
  const what = WHAT[type] ?? `执行 ${StatementType[type] ?? '此类'} 语句`;
  return new Refusal('refused', `查询分析只能读取数据，不能${what}。请改写为 SELECT 查询。`);
}

export class Refusal extends Error {
  constructor(readonly code: 'refused' | 'sql_error' | 'timeout', message: string) {
    super(message);
    this.name = 'Refusal';
  }
}

/** The one read statement of `sql`, prepared; anything else is refused with a plain reason. */
export async function prepareRead(conn: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  let extracted;
  try {
    extracted = await conn.extractStatements(sql);
  } catch (e) {
    throw new Refusal('sql_error', `SQL 语法错误：${(e as Error).message}`);
  }
  if (extracted.count === 0) throw new Refusal('refused', '没有可执行的语句。请输入一条 SELECT 查询。');
  if (extracted.count > 1) throw new Refusal('refused', `一次只能执行一条查询，这里有 ${extracted.count} 条（请去掉多余的分号后的语句）。`);
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await extracted.prepare(0);
  } catch (e) {
    const named = BY_KEYWORD[firstKeyword(sql)];
    if (named !== undefined) throw refusedKind(named);
    throw new Refusal('sql_error', (e as Error).message);
  }
  if (!READS.has(prepared.statementType)) {
    const type = prepared.statementType;
    prepared.destroySync();
    throw refusedKind(type);
  }
  return prepared;
}
