/**
 * A question the query API cannot answer as asked: a parameter out of range, an unknown
 * indicator. Carries the parameter's name so an HTTP answer can be `400 bad_param` and a
 * command line can print one line per problem.
 */
export class QueryError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

/**
 * Whether `e` is DuckDB saying an analytics table does not exist: the database's first refresh
 * is still building the tables (or a full refresh dropped them to build them again). Readers
 * then answer "being prepared, try again shortly" rather than fail.
 */
export function isAnalyticsMissing(e: unknown): boolean {
  return e instanceof Error && /Catalog Error: Table with name analytics_\w+ does not exist/.test(e.message);
}

/** The year is not in the analytics tables yet: the refresh under way is computing it. */
export class NotPreparedError extends Error {
  constructor(readonly year: number) {
    super(`${year} 年的分析表正在生成 (analytics tables for ${year} are being prepared)`);
    this.name = 'NotPreparedError';
  }
}
