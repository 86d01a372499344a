import type { options } from '../commands/compensate.ts';
import { resolve } from 'node:path';
import { type ArgValues, type ExitCode, EXIT, UsageError } from '../cli-kit.ts';
import { formatRows } from '../output.ts';
import { readPolicyFile, compensateFile, PolicyFileError } from '@ncms/analytics';
import { FileRejection } from '@ncms/extracts';

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  let r;
  try {
    const { policy } = await readPolicyFile(args.policy);
    r = await compensateFile({ policy, claims: resolve(args.claims), facilities: args.facilities && resolve(args.facilities) });
  } catch (e) {
    if (e instanceof PolicyFileError) throw new UsageError(e.problems);
    if (e instanceof FileRejection) throw new UsageError([e.message]);
    throw e;
  }
  process.stdout.write(formatRows(r.claims, ['claim_id', 'expected_payout'], args.format as 'csv' | 'json'));
  const lines = [...r.problems, ...r.unplaced].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  for (const p of lines) process.stderr.write(`${p.file}:${p.line}${p.column ? ` [${p.column}]` : ''} ${p.reason}\n`);
  if (lines.length)
    process.stderr.write(`${r.problems.length} 行未能读取、${r.unplaced.length} 笔无法确定机构级别，其余 ${r.claims.length - r.unplaced.length} 笔已计算 (rows left out or not placed; the rest computed)\n`);
  return lines.length ? EXIT.rejected : EXIT.ok;
}

