import type { options } from '../commands/audit.ts';
import { type ArgValues, type ExitCode, EXIT, UsageError } from '../cli-kit.ts';
import { readVia } from '../open-platform.ts';
import { formatRows } from '../output.ts';
import { readPolicyArg } from '../policy-arg.ts';
import { auditListing, type AuditListing } from '@ncms/platform';
import { FINDING, VISIT_TYPE } from '@ncms/rules';

const COLUMNS = ['claim_id', 'person_id', 'facility_code', 'visit_type', 'discharge_date', 'expected', 'settled', 'difference', 'finding'];
/** `--labels zh`: the headers as the audit sheet an office keeps. */
const HEADERS: Record<string, string> = {
  claim_id: '结算单号', person_id: '身份证号', facility_code: '机构编码', visit_type: '类型', discharge_date: '出院（就诊）日期',
  expected: '应补偿金额', settled: '实际补偿金额', difference: '差额', finding: '审核结论',
};

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  if (args.rules) return (await import('./audit-rules.ts')).run(args);
  if (args.code !== undefined) throw new UsageError(['--code 只与 --rules 同用 (--code goes with --rules)']);
  if (args.policy === undefined) throw new UsageError(['--policy 为必填项（或用 --rules 列出审核规则的发现） (--policy is required unless --rules)']);
  const policy = await readPolicyArg(args.policy);
  const listing = await readVia<AuditListing>(
    args,
    async (server) => (await server.json<AuditListing>(`/api/audit?year=${args.year}&limit=all&sort=discharge`, policy.body)).body,
    (platform) => auditListing(platform, { year: args.year, policy: policy.file, limit: 'all', sort: 'discharge' }),
  );
  const { rows, summary } = listing;
  const zh = args.labels === 'zh' && args.format === 'csv';
  const out = rows.map((r) =>
    zh
      ? { ...r, visit_type: VISIT_TYPE.has(r.visit_type) ? VISIT_TYPE.zh(r.visit_type) : r.visit_type, finding: r.findings.map((f) => (FINDING.has(f) ? FINDING.zh(f) : f)).join('；') }
      : { ...r, finding: r.findings.join(';') },
  );
  process.stdout.write(formatRows(out, COLUMNS, args.format as 'csv' | 'json', zh ? { header: (c) => HEADERS[c] ?? c, bom: true } : {}));
  if (summary && summary.claims > 0)
    process.stderr.write(
      [
        `审核 ${args.year}: ${summary.claims} 笔结算已重算 (claims recomputed)`,
        `  少付 underpaid: ${summary.underpaid.claims} 笔，应退还患者 refund due ${summary.underpaid.refund_due} 元`,
        `  多付 overpaid: ${summary.overpaid.claims} 笔，共 ${summary.overpaid.amount} 元`,
        `  非参合人员报销 non-enrolled: ${summary.non_enrolled_claims.claims} 笔，${summary.non_enrolled_claims.reimbursed} 元`,
        `  机构不在目录 unknown facility: ${summary.unknown_facility_claims} 笔`,
        `  药占比超标 drug-share breaches (facility × month): ${summary.drug_share_breaches.length}`,
        ...summary.drug_share_breaches.slice(0, 10).map((b) => `    ${b.facility_code} ${b.month} ${(b.drug_share * 100).toFixed(1)}%`),
      ].join('\n') + '\n',
    );
  for (const n of listing.notes) process.stderr.write(`注 note: ${n}\n`);
  return EXIT.ok;
}
