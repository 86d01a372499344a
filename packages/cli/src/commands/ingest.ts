import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = {
  ...DATABASE_OPTIONS,
  'retry-rejected': { type: { kind: 'flag' }, zh: '重新尝试以前拒收的文件', en: 'try files rejected earlier again' },
} as const satisfies Record<string, OptionSpec>;

export const ingest = defineCommand({
  name: 'ingest',
  zh: '载入数据目录中的新文件，并更新分析表',
  en: 'load every new file of a source directory and refresh the analytics tables',
  options,
  positionals: [{ name: 'SOURCE_DIR', zh: '数据目录（含 census/、facilities/、enrollment/、his/、ledger/）', en: 'the source directory' }],
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.rejected, EXIT.dbInUse],
  examples: ['ncms ingest data/incoming', 'ncms ingest --db data/ncms.duckdb data/sample --retry-rejected'],
  run: (args, positionals) => import('../run/ingest.ts').then((m) => m.run(args, positionals)),
});
