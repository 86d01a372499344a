/**
 * `ncms audit --rules`: the audit rules' findings of a year with their review state, one row per
 * claim and code, ranked by amount at stake (the same list as `/api/audit/rules` and the 审核
 * page); persons masked. The roll and fund rules' findings go to stderr as a short summary.
 */
import type { options } from '../commands/audit.ts';
import { type ArgValues, type ExitCode, EXIT } from '../cli-kit.ts';
import { readVia } from '../open-platform.ts';
import { formatRows } from '../output.ts';
import { auditRulesListing, type AuditRulesListing } from '@ncms/platform';

const COLUMNS = ['code', 'zh', 'claim_id', 'person_id', 'facility_code', 'village_code', 'discharge_date', 'amount_at_stake', 'evidence', 'state'];
const HEADERS: Record<string, string> = {
  code: '规则代码', zh: '规则', claim_id: '结算单号', person_id: '身份证号', facility_code: '机构编码', village_code: '村',
  discharge_date: '出院（就诊）日期', amount_at_stake: '涉及金额', evidence: '依据', state: '复核状态',
};

export async function run(args: ArgValues<typeof options>): Promise<ExitCode> {
  const query = `year=${args.year}&limit=all${args.code ? `&code=${encodeURIComponent(args.code)}` : ''}`;
  const listing = await readVia<AuditRulesListing>(
    args,
    async (server) => (await server.json<AuditRulesListing>(`/api/audit/rules?${query}`)).body,
    (platform) => auditRulesListing(platform, { year: args.year, code: args.code, limit: 'all' }),
  );
  const zh = args.labels === 'zh' && args.format === 'csv';
  const out = listing.rows.map((r) => ({ ...r, evidence: args.format === 'json' ? r.evidence : JSON.stringify(r.evidence), state: zh ? r.state_zh : r.state }));
  process.stdout.write(formatRows(out, COLUMNS, args.format as 'csv' | 'json', zh ? { header: (c) => HEADERS[c] ?? c, bom: true } : {}));
  process.stderr.write(`审核规则 ${args.year}: ${listing.total} 条发现 (findings)\n`);
  for (const f of listing.fund) process.stderr.write(`  ${f.zh} ${f.subject ?? f.person_id ?? ''}${f.amount !== null ? ` ${f.amount} 元` : ''}${f.persons !== null ? ` ${f.persons} 人` : ''}\n`);
  return EXIT.ok;
}
