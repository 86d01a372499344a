/**
 * Compiles a kind's column rules (packages/extracts) into one set-based SQL pass over
 * the staged rows: typed values, a `bad` flag, and — only for bad rows — the list of
 * problems, each naming its column and what to fix.
 */
import type { ColumnSpec, KindSpec } from '@ncms/extracts';
import { sqlIdent as q, sqlString as s } from '@ncms/warehouse';

interface Problem {
  when: string;
  reason: string;
}

interface CompiledColumn {
  name: string;
  value: string;
  problems: Problem[];
}

const LOST_DIGITS = `regexp_full_match(raw, '[0-9](\\.[0-9]+)?[eE]\\+?[0-9]+')`;

/** Value and problems of one column; `raw` stands for its trimmed text (NULL when empty). */
export function compileColumn(col: ColumnSpec): { value: string; problems: Problem[] } {
  const t = col.type;
  const problems: Problem[] = [];
  if (col.required && col.defaultSql === undefined) problems.push({ when: 'raw IS NULL', reason: '必填项为空 (required value missing)' });
  let value: string;
  switch (t.t) {
    case 'text':
      value = 'raw';
      break;
    case 'int':
      value = `CASE WHEN regexp_full_match(raw, '-?[0-9]{1,9}') THEN CAST(raw AS INTEGER) END`;
      problems.push({ when: `raw IS NOT NULL AND NOT regexp_full_match(raw, '-?[0-9]{1,9}')`, reason: '不是整数 (not a whole number)' });
      if (t.min !== undefined)
        problems.push({ when: `${value} < ${t.min}`, reason: t.min === 0 ? '不能为负数 (must not be negative)' : `不能小于 ${t.min} (must be at least ${t.min})` });
      break;
    case 'division': {
      const pattern = t.digits.map((d) => `[0-9]{${d}}`).join('|');
      value = `CASE WHEN regexp_full_match(raw, '${pattern}') THEN raw END`;
      problems.push({
        when: `raw IS NOT NULL AND NOT regexp_full_match(raw, '${pattern}')`,
        reason: `区划代码应为 ${t.digits.join(' 或 ')} 位数字 (division code must be ${t.digits.join(' or ')} digits)`,
      });
      break;
    }
    case 'person_id': {
      // u: upper-cased text; id18(u): 15-digit numbers upgraded.
      const u = 'upper(raw)';
      const shape = `regexp_full_match(${u}, '[0-9]{17}[0-9X]|[0-9]{15}')`;
      value = `CASE WHEN ${shape} THEN id18(${u}) END`;
      problems.push({
        when: `raw IS NOT NULL AND ${LOST_DIGITS}`,
        reason: '身份证号被存成了数字并丢失了位数：请把该列设为文本格式后重新导出 (ID stored as a number; format the column as text)',
      });
      problems.push({
        when: `raw IS NOT NULL AND NOT ${LOST_DIGITS} AND NOT ${shape}`,
        reason: '身份证号应为18位（17位数字加数字或X）或旧15位数字 (ID number must have 18 characters)',
      });
      problems.push({
        when: `${shape} AND length(raw) = 18 AND gb11643_check(${u}) <> substr(${u}, 18, 1)`,
        reason: '身份证号校验位错误 (ID number check character is wrong)',
      });
      problems.push({
        when: `${shape} AND coalesce(try_strptime(substr(id18(${u}), 7, 8), '%Y%m%d') NOT BETWEEN TIMESTAMP '1880-01-01' AND current_date, true)`,
        reason: '身份证号中的出生日期无效 (birth date inside the ID number is not a valid date)',
      });
      break;
    }
    case 'date':
      value = 'parse_date(raw)';
      problems.push({
        when: `raw IS NOT NULL AND coalesce(${value} NOT BETWEEN DATE '1900-01-01' AND DATE '2100-12-31', true)`,
        reason: '日期无法识别：请用 YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD 或 YYYY年M月D日 (unreadable date)',
      });
      break;
    case 'amount':
      value = 'parse_amount(raw)';
      problems.push({
        when: `raw IS NOT NULL AND ${value} IS NULL`,
        reason: '金额格式错误：应为以元为单位、最多两位小数的数字 (not an amount in 元 with up to 2 decimals)',
      });
      if (t.min === 'ge0') problems.push({ when: `${value} < 0`, reason: '金额不能为负数 (amount must not be negative)' });
      if (t.min === 'gt0') problems.push({ when: `${value} <= 0`, reason: '金额必须大于 0 (amount must be greater than 0)' });
      break;
    case 'bool':
      value = 'parse_bool(raw)';
      problems.push({ when: `raw IS NOT NULL AND ${value} IS NULL`, reason: '应为 是/否、1/0、true/false 或 Y/N (not a yes/no value)' });
      break;
    case 'enum': {
      const arms = Object.entries(t.values)
        .map(([canon, spellings]) => `WHEN lower(raw) IN (${[...new Set(spellings.map((x) => x.toLowerCase()))].map(s).join(', ')}) THEN ${s(canon)}`)
        .join(' ');
      value = `CASE ${arms} END`;
      const allowed = Object.values(t.values).map((v) => v.join('/')).join('；');
      problems.push({ when: `raw IS NOT NULL AND (${value}) IS NULL`, reason: `取值无法识别，可用：${allowed} (unknown value)` });
      break;
    }
  }
  return { value, problems };
}

function rawOf(name: string, present: ReadonlySet<string>): string {
  return present.has(name) ? `nullif(trim(${q(name)}), '')` : 'NULL::VARCHAR';
}

function substitute(expr: string, raw: string): string {
  return expr.replace(/\braw\b/g, raw);
}

export interface CompiledKind {
  /** SELECT over the staged table `stg` (__line + canonical raw columns) giving __line, values and `bad`. */
  checkSql: string;
  /** Problems (line, column_name, reason) of the rows `chk` marks bad, computed from `stg` again. */
  problemsSql: string;
  /** Final column names in order, as stored in the core table (without provenance columns). */
  valueColumns: string[];
}

/** Kinds with ID numbers record whether an old 15-digit number was upgraded (provenance). */
function upgradeFlag(spec: KindSpec, present: ReadonlySet<string>): { name: string; sql: string }[] {
  if (!spec.columns.some((c) => c.type.t === 'person_id')) return [];
  return [{ name: 'person_id_upgraded', sql: `coalesce(length(${rawOf('person_id', present)}) = 15, false)` }];
}

export function compileKind(spec: KindSpec, presentColumns: Iterable<string>): CompiledKind {
  const present = new Set(presentColumns);
  const cols: CompiledColumn[] = [];
  const derived = spec.derived;
  const useParts = derived !== undefined && !present.has(derived.column) && derived.fromAny.some((p) => present.has(p.name));
  for (const col of spec.columns) {
    if (useParts && col.name === derived.column) {
      const parts = derived.fromAny.filter((p) => present.has(p.name));
      const compiledParts = parts.map((p) => ({ p, c: compileColumn(p) }));
      const values = compiledParts.map(({ p, c }) => substitute(c.value, rawOf(p.name, present)));
      cols.push({
        name: col.name,
        value: `CASE WHEN ${values.map((v) => `(${v}) IS NULL`).join(' AND ')} THEN NULL ELSE ${values.map((v) => `coalesce(${v}, 0)`).join(' + ')} END`,
        problems: compiledParts.flatMap(({ p, c }) =>
          c.problems.map((pr) => ({ when: substitute(pr.when, rawOf(p.name, present)), reason: `${p.name}: ${pr.reason}` })),
        ),
      });
      continue;
    }
    const c = compileColumn(col);
    const raw = rawOf(col.name, present);
    cols.push({ name: col.name, value: substitute(c.value, raw), problems: c.problems.map((p) => ({ when: substitute(p.when, raw), reason: p.reason })) });
  }

  const parseProblems = cols.flatMap((c) => c.problems.map((p) => ({ column: c.name, ...p })));
  const ruleProblems = spec.rules.map((r) => ({ column: r.column, when: r.failsWhen, reason: r.reason }));

  const valueSelect = cols.map((c) => `${c.value} AS ${q(c.name)}`).join(',\n    ');
  const flags = upgradeFlag(spec, present);
  const finals = spec.columns.map((c) =>
    c.defaultSql !== undefined ? `coalesce(p.${q(c.name)}, ${c.defaultSql.replace(/\bp\./g, 'p.')}) AS ${q(c.name)}` : `p.${q(c.name)}`,
  );
  // Parse problems are judged on raw text, rule problems on final values (rules say p.<column>).
  const anyOf = (ps: readonly { when: string }[]) => ps.map((p) => `coalesce(${p.when}, false)`).join(' OR ') || 'false';
  const listOf = (ps: readonly { column: string; when: string; reason: string }[]) =>
    `list_filter([${ps
      .map((p) => `CASE WHEN coalesce(${p.when}, false) THEN {'column_name': ${s(p.column)}, 'reason': ${s(p.reason)}} END`)
      .join(', ')}]::STRUCT(column_name VARCHAR, reason VARCHAR)[], x -> x IS NOT NULL)`;
  const computed = new Map((spec.computed ?? []).map((c) => [c.name, c.sql]));
  const stored = [...spec.columns.map((c) => c.name), ...flags.map((f) => f.name), ...[...computed.keys()].filter((n) => !spec.columns.some((c) => c.name === n))];
  const storedSelect = stored.map((n) => `${computed.get(n) ?? `v.${q(n)}`} AS ${q(n)}`).join(', ');
  const rawSelect = [...present].map((n) => q(n)).join(', ');
  const ruleBad = anyOf(ruleProblems).replace(/\bp\./g, 'v.');

  // Two passes over the same stages: values and a `bad` flag for every row, then the
  // problem lists for the (few) bad rows only, so no condition is evaluated twice per row.
  const stages = (where: string, withProblems: boolean) => `
WITH parsed AS (
  SELECT __line,
    ${valueSelect},
    ${flags.map((f) => `${f.sql} AS ${q(f.name)},`).join(' ')}
    ${withProblems ? listOf(parseProblems) : anyOf(parseProblems)} AS parse_result
  FROM (SELECT __line${rawSelect ? ', ' + rawSelect : ''} FROM stg ${where})
),
v AS (
  SELECT p.__line, ${finals.join(', ')}, ${flags.map((f) => `p.${q(f.name)}, `).join('')}p.parse_result FROM parsed p
)`;
  const checkSql = `${stages('', false)}
SELECT v.__line, ${storedSelect}, v.parse_result OR (${ruleBad}) AS bad FROM v`;
  const problemsSql = `${stages('WHERE __line IN (SELECT __line FROM chk WHERE bad)', true)}
SELECT v.__line AS line, unnest(list_concat(v.parse_result, ${listOf(ruleProblems).replace(/\bp\./g, 'v.')}), recursive := true)
FROM v`;
  return { checkSql, problemsSql, valueColumns: stored };
}
