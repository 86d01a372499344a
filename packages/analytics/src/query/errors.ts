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

/** The prepared tables do not hold the year yet (never refreshed, or a refresh is due). */
export class NotPreparedError extends Error {
  constructor(readonly year: number) {
    super(`${year} 年的分析表尚未生成，请先运行载入或刷新 (analytics tables not prepared for ${year})`);
    this.name = 'NotPreparedError';
  }
}
