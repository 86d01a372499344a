/** The import summary as people read it (DHIS2-style): files, rows per kind, findings. */
import { relative } from 'node:path';
import { KINDS, KIND_ORDER } from '@ncms/extracts';
import type { IngestSummary } from '@ncms/pipelines';
import { padEnd } from '../cli-kit.ts';

const STATUS: Record<string, string> = {
  loaded: '已载入 loaded',
  unchanged: '未变化 unchanged',
  rejected: '已拒收 rejected',
  rejected_earlier: '曾拒收 rejected earlier',
};

/** A cell padded to a display width (Chinese characters take two columns in a terminal). */
const pad = (s: string | number, n: number): string => padEnd(String(s), n);

/** The kinds table: a Chinese and English header, then a row per kind. */
const COLUMNS = [
  ['类别 kind', 30],
  ['文件 files', 11],
  ['载入 loaded', 12],
  ['替换 replaced', 14],
  ['未变化 unchanged', 17],
] as const;

/**
 * The summary. `byReason`: the bad rows counted by kind and reason instead of each file with its
 * first lines (the demo, whose bad rows are there on purpose and need no finding by line).
 */
export function formatSummary(s: IngestSummary, opts: { byReason?: boolean } = {}): string {
  const out: string[] = [];
  const count = (st: string) => s.files.filter((f) => f.status === st).length;
  out.push(`导入摘要 Import summary — run #${s.runId}, ${s.sourceDir}`);
  out.push(
    `文件 files: ${count('loaded')} loaded, ${count('unchanged')} unchanged, ${count('rejected')} rejected` +
      (count('rejected_earlier') ? ` (+${count('rejected_earlier')} rejected earlier)` : ''),
  );
  out.push('');
  out.push([...COLUMNS.map(([h, w]) => pad(h, w)), '错误行（未载入） rows not loaded'].join(' '));
  for (const k of KIND_ORDER) {
    const t = s.byKind[k];
    const cells = [`${KINDS[k].title} ${k}`, t.files, t.loaded, t.replaced, t.unchanged];
    out.push([...cells.map((c, i) => pad(c, COLUMNS[i]![1])), t.quarantined].join(' '));
  }
  const notable = s.files.filter((f) => f.status !== 'unchanged' && !(opts.byReason && f.status === 'loaded' && !f.unknownColumns.length));
  if (notable.length) {
    out.push('');
    for (const f of notable) {
      const name = relative(s.sourceDir, f.path) || f.path;
      out.push(`${pad(STATUS[f.status] ?? f.status, 24)} ${name}` + (f.status === 'loaded' ? `  (${f.rows.total} rows, ${f.encoding ?? f.format})` : ''));
      if (f.reason) out.push(`    ${f.reason}`);
      if (f.unknownColumns.length) out.push(`    未识别的列已忽略 ignored columns: ${f.unknownColumns.join(', ')}`);
      if (f.status === 'loaded' && f.rows.quarantined > 0) {
        out.push(`    错误行（未载入） ${f.rows.quarantined} 行 rows not loaded, e.g.:`);
        for (const p of f.problems.slice(0, 3)) out.push(`      第 ${p.line} 行 line ${p.line}${p.column_name ? ` [${p.column_name}]` : ''}: ${p.reason}`);
      }
    }
  }
  if (opts.byReason) out.push(...reasonLines(s));
  if (s.waiting.length) {
    out.push('');
    out.push(`仍在写入，下次运行再载入 still being written, left for the next run: ${s.waiting.map((p) => relative(s.sourceDir, p) || p).join(', ')}`);
  }
  const fd = s.findings;
  out.push('');
  out.push('发现 Findings (data kept; judged when computing):');
  out.push(`  参合人员所在村不在人口统计中 enrolees in villages absent from census: ${fd.enrolleesInUnknownVillages}`);
  out.push(`  不在定点目录中的机构的结算 claims at facilities not in the registry: ${fd.claimsAtUnknownFacilities}`);
  out.push(`  非参合人员结算 claims of persons not enrolled that year: ${fd.claimsOfNonEnrolled}`);
  out.push(`  参合信息变更（村/户） enrolment changes of village or household: ${fd.enrolmentChanges}`);
  return out.join('\n');
}

/** Bad rows of the files loaded in this run, by kind, column and reason, most frequent first. */
function reasonLines(s: IngestSummary): string[] {
  const lines: string[] = [];
  for (const k of KIND_ORDER) {
    const counts = new Map<string, number>();
    for (const f of s.files) {
      if (f.kind !== k || f.status !== 'loaded') continue;
      for (const r of f.reasons) {
        const what = `${r.column_name ? `[${r.column_name}] ` : ''}${r.reason}`;
        counts.set(what, (counts.get(what) ?? 0) + r.count);
      }
    }
    if (!counts.size) continue;
    lines.push(`  ${KINDS[k].title} ${k}:`);
    for (const [what, n] of [...counts].sort((a, b) => b[1] - a[1])) lines.push(`    ${pad(n, 6)} ${what}`);
  }
  return lines.length ? ['', '错误行（未载入），按类别和原因 bad rows not loaded, by kind and reason:', ...lines] : [];
}
