import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_DB_PATH } from '@ncms/warehouse';
import { generateCounty, writeExamplePolicies } from '@ncms/sample-county';
import { formatSummary } from '@ncms/pipelines';
import { ingestWithProgress } from './ingest.ts';
import type { Command } from '../cli-kit.ts';

export const SAMPLE_DIR = 'data/sample';

export const demo: Command = {
  name: 'demo',
  summary: '生成示例县并载入默认数据库 (generate the sample county and load it)',
  usage: 'ncms demo [--db FILE] [--port P]   (--port: for the dashboard, which a later version starts)',
  options: { db: { type: 'string' }, port: { type: 'string' } },
  async run({ values }) {
    const sample = resolve(SAMPLE_DIR);
    if (!existsSync(sample)) {
      process.stderr.write(`demo: generating the sample county in ${sample}\n`);
      await generateCounty({ out: sample, onProgress: (m) => process.stderr.write(`generate: ${m}\n`) });
    }
    for (const p of await writeExamplePolicies(resolve('policies'))) process.stderr.write(`demo: example policy ${p}\n`);
    const db = String(values.db ?? DEFAULT_DB_PATH);
    const summary = await ingestWithProgress(db, sample, false);
    process.stdout.write(formatSummary(summary) + '\n\n');
    process.stdout.write(
      `示例县已载入 ${resolve(db)}。\n` +
        '示例数据里故意放了错误行和一个缺列的文件，用来演示隔离区和拒收；这是预期的结果。\n' +
        '(The sample county contains bad rows and one bad file on purpose, to show quarantine and rejection.)\n' +
        '仪表盘将在后续版本提供。现在可以试试 (try):\n' +
        '  npx ncms indicators --year 2005 --by township\n' +
        '  npx ncms audit --year 2006 --policy policies/2005.json\n' +
        '  npx ncms simulate --year 2006 --policy policies/2012.json --growth 0.2366\n',
    );
    return 0;
  },
};
