import { resolve } from 'node:path';
import { campaignProgress, computeIndicators, monthlyIndicators } from '@ncms/analytics';
import { policyForYear, type Grain } from '@ncms/rules';
import { DEFAULT_DB_PATH, openWarehouse } from '@ncms/warehouse';
import { Progress, UsageError, intOption, option, type Command } from '../cli-kit.ts';
import { readPolicyDir, readPolicyFile } from '../policy-file.ts';
import { formatRows, parseFormat } from '../output.ts';

const GRAINS: Grain[] = ['county', 'township', 'village'];

export const indicators: Command = {
  name: 'indicators',
  summary: '计算指标：参合、筹资、补偿、基金 (indicators of a year for every unit of a level)',
  usage:
    'ncms indicators [--db FILE] --year Y [--by county|township|village] [--series monthly|campaign] [--policy FILE] [--policies DIR] [--opening-balance 元] [--format csv|json]',
  options: {
    db: { type: 'string' }, year: { type: 'string' }, by: { type: 'string' }, series: { type: 'string' },
    policy: { type: 'string' }, policies: { type: 'string' }, format: { type: 'string' }, 'opening-balance': { type: 'string' },
  },
  async run({ values }) {
    const problems: string[] = [];
    if (!values.year) problems.push('--year Y 是必需的 (the scheme year)');
    const grain = String(values.by ?? 'township') as Grain;
    if (!GRAINS.includes(grain)) problems.push(`--by 应为 county、township 或 village (got "${String(values.by)}")`);
    const series = values.series as string | undefined;
    const openingBalance = String(values['opening-balance'] ?? '0');
    if (!/^-?\d+(\.\d{1,2})?$/.test(openingBalance)) problems.push(`--opening-balance 应为以元计、最多两位小数的金额 (got "${openingBalance}")`);
    if (series !== undefined && series !== 'monthly' && series !== 'campaign')
      problems.push(`--series 应为 monthly（按出院月份）或 campaign（筹资进度，周一、周四）(got "${series}")`);
    const year = option(problems, () => intOption('year', values.year, 0, 1990), 0);
    const format = option(problems, () => parseFormat(values.format), 'csv');
    if (problems.length) throw new UsageError(problems);
    // The year's policy: --policy, else policies/<year>.json or the latest earlier one.
    const notes: string[] = [];
    let policy = values.policy ? await readPolicyFile(resolve(String(values.policy))) : undefined;
    const dirPolicies = await readPolicyDir(resolve(String(values.policies ?? 'policies')));
    const earlier = (y: number) => policyForYear(dirPolicies, y)?.policy;
    if (!policy) {
      const found = policyForYear(dirPolicies, year);
      policy = found?.policy;
      if (found?.note) notes.push(found.note);
    }
    const wh = await openWarehouse(String(values.db ?? DEFAULT_DB_PATH));
    try {
      const progress = new Progress('indicators');
      const t =
        series === 'monthly'
          ? await monthlyIndicators(wh.conn, year, grain, policy)
          : series === 'campaign'
            ? await campaignProgress(wh.conn, year, grain)
            : await computeIndicators(wh.conn, { year, grain, policy, notes, earlier, openingBalance });
      progress.done();
      process.stdout.write(formatRows(t.rows, t.columns, format));
      for (const n of t.notes) process.stderr.write(`注 note: ${n}\n`);
      return 0;
    } finally {
      wh.close();
    }
  },
};
