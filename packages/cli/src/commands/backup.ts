import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const backupOptions = {
  db: DATABASE_OPTIONS.db,
  config: DATABASE_OPTIONS.config,
  out: { type: { kind: 'string', placeholder: 'DIR' }, zh: '备份存放的文件夹（每次一个新的子文件夹）', en: 'the folder for backups (each in a new subfolder)', required: true },
  keep: { type: { kind: 'int', placeholder: 'N' }, zh: '只保留最近 N 份备份（默认全部保留）', en: 'keep only the newest N backups (default: all)' },
} as const satisfies Record<string, OptionSpec>;

export const backup = defineCommand({
  name: 'backup',
  zh: '备份整个数据库（一致的快照，服务运行时也可以，经由服务进行）',
  en: 'a consistent snapshot of the whole database (while the server runs too, through it)',
  options: backupOptions,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  examples: ['ncms backup --out backups/', 'ncms backup --db data/ncms.duckdb --out /mnt/backup/ncms --keep 7'],
  run: (args, positionals) => import('../run/backup.ts').then((m) => m.runBackup(args, positionals)),
});

export const restoreOptions = {
  from: { type: { kind: 'string', placeholder: 'DIR' }, zh: '一份备份的文件夹（ncms-backup-…）', en: 'a backup folder (ncms-backup-…)', required: true },
  db: { type: { kind: 'string', placeholder: 'FILE' }, zh: '恢复成的新数据库文件（不能已存在）', en: 'the new database file (must not exist)', required: true },
} as const satisfies Record<string, OptionSpec>;

export const restore = defineCommand({
  name: 'restore',
  zh: '从备份恢复出一个新的数据库文件（核对每张表的行数；不会覆盖已有文件）',
  en: 'restore a backup into a new database file (row counts checked; never overwrites)',
  options: restoreOptions,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage],
  examples: ['ncms restore --from backups/ncms-backup-20261201-020000 --db data/restored.duckdb'],
  run: (args, positionals) => import('../run/backup.ts').then((m) => m.runRestore(args, positionals)),
});
