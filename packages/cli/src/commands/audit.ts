import { audit as runAudit } from '@ncms/analytics';
import { DEFAULT_DB_PATH, openWarehouse } from '@ncms/warehouse';
import { UsageError, intOption, option, type Command } from '../cli-kit.ts';
import { yearPolicies } from '../policy-file.ts';
import { formatRows, parseFormat } from '../output.ts';

const COLUMNS = ['claim_id', 'person_id', 'facility_code', 'visit_type', 'discharge_date', 'expected', 'settled', 'difference', 'finding'];

export const audit: Command = {
  name: 'audit',
  summary: '按政策重算全年结算，列出少付、多付、非参合与药占比超标 (recompute a year\'s claims)',
  usage: 'ncms audit [--db FILE] --year Y --policy FILE [--policies DIR] [--format csv|json]',
  options: { db: { type: 'string' }, year: { type: 'string' }, policy: { type: 'string' }, policies: { type: 'string' }, format: { type: 'string' } },
  async run({ values }) {
    const problems: string[] = [];
    if (!values.year) problems.push('--year Y 是必需的 (the scheme year)');
    if (!values.policy) problems.push('--policy FILE 是必需的 (the year\'s policy file)');
    const format = option(problems, () => parseFormat(values.format), 'csv');
    const year = option(problems, () => intOption('year', values.year, 0, 1990), 0);
    if (problems.length) throw new UsageError(problems);
    const { lookup } = await yearPolicies(String(values.policy), year, String(values.policies ?? 'policies'));
    const wh = await openWarehouse(String(values.db ?? DEFAULT_DB_PATH));
    try {
      const { rows, summary } = await runAudit(wh.conn, year, lookup);
      process.stdout.write(formatRows(rows as unknown as Record<string, unknown>[], COLUMNS, format));
      if (summary.claims > 0) {
        process.stderr.write(
          [
            `审核 ${year}: ${summary.claims} 笔结算已重算 (claims recomputed)`,
            `  少付 underpaid: ${summary.underpaid.claims} 笔，应退还患者 refund due ${summary.underpaid.refund_due} 元`,
            `  多付 overpaid: ${summary.overpaid.claims} 笔，共 ${summary.overpaid.amount} 元`,
            `  非参合人员报销 non-enrolled: ${summary.non_enrolled_claims.claims} 笔，${summary.non_enrolled_claims.reimbursed} 元`,
            `  机构不在目录 unknown facility: ${summary.unknown_facility_claims} 笔`,
            `  药占比超标 drug-share breaches (facility × month): ${summary.drug_share_breaches.length}`,
            ...summary.drug_share_breaches.slice(0, 10).map((b) => `    ${b.facility_code} ${b.month} ${(b.drug_share * 100).toFixed(1)}%`),
          ].join('\n') + '\n',
        );
      }
      return 0;
    } finally {
      wh.close();
    }
  },
};
