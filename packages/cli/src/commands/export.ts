import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = {
  ...DATABASE_OPTIONS,
  out: { type: { kind: 'string', placeholder: 'DIR' }, zh: '导出文件夹（再次导出到同一文件夹时只重写有变化的分区）', en: 'the output folder (a second export there rewrites only the partitions that changed)', required: true },
  mask: { type: { kind: 'flag' }, zh: '姓名、身份证号脱敏，人员以不可逆的 person_key 区分', en: 'mask names and ID numbers; persons get a keyed pseudonym (person_key)' },
  tables: { type: { kind: 'string', placeholder: 'NAME,NAME…' }, zh: '只导出这些表（逗号分隔）', en: 'only these tables (comma-separated)' },
} as const satisfies Record<string, OptionSpec>;

export const exportCommand = defineCommand({
  name: 'export',
  zh: '把基础表、预处理表和分析表导出为按年度、县分区的 Parquet（供市、省级平台读取）',
  en: 'the core, prepared and analytics tables as Hive-partitioned Parquet (year, county) for other engines',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  examples: ['ncms export --out lake/', 'ncms export --out analyst-snapshot/ --mask', 'ncms export --out lake/ --tables claims,analytics_year'],
  run: (args, positionals) => import('../run/export.ts').then((m) => m.run(args, positionals)),
});
