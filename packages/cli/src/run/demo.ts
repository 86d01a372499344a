import type { options } from '../commands/demo.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ArgValues, type ExitCode, EXIT } from '../cli-kit.ts';
import { openPlatform } from '../open-platform.ts';
import { formatSummary } from '../format/ingest-summary.ts';
import { ingestWithProgress } from './ingest.ts';
import { generateCounty, writeExamplePolicies } from '@ncms/sample-county';

export const SAMPLE_DIR = 'data/sample';

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const sample = resolve(SAMPLE_DIR);
  if (!existsSync(sample)) {
    process.stderr.write(`demo: generating the sample county in ${sample}\n`);
    await generateCounty({ out: sample, onProgress: (m) => process.stderr.write(`generate: ${m}\n`) });
  }
  const platform = await openPlatform(args, { read: false });
  try {
    for (const p of await writeExamplePolicies(platform.config.policiesDir)) process.stderr.write(`demo: example policy ${p}\n`);
    const summary = await ingestWithProgress(platform, sample, false);
    process.stdout.write(formatSummary(summary) + '\n\n');
  } finally {
    await platform.close();
  }
  process.stdout.write(
    `示例县已载入 ${resolve(args.db)}。\n` +
      '示例数据里故意放了错误行和一个缺列的文件，用来演示错误行和拒收；这是预期的结果。\n' +
      '(The sample county contains bad rows and one bad file on purpose, to show quarantine and rejection.)\n' +
      '仪表盘将在后续版本提供。现在可以试试 (try):\n' +
      '  npx ncms indicators --year 2005 --by township\n' +
      '  npx ncms indicators --year 2006 --by township --labels zh\n' +
      '  npx ncms audit --year 2006 --policy policies/2005.json\n' +
      '  npx ncms simulate --year 2006 --policy policies/2012.json --growth 0.2366\n',
  );
  return EXIT.ok;
}

