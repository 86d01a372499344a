/** `ncms`: the front door for operators and scripts (spec/cli.md). */
import { EXIT, UsageError, helpText, padEnd, parseArgs, type Command, type ExitCode } from './cli-kit.ts';
import { audit } from './commands/audit.ts';
import { compensate } from './commands/compensate.ts';
import { demo } from './commands/demo.ts';
import { exportCommand } from './commands/export.ts';
import { generate } from './commands/generate.ts';
import { indicators } from './commands/indicators.ts';
import { ingest } from './commands/ingest.ts';
import { policySchema } from './commands/policy-schema.ts';
import { refresh } from './commands/refresh.ts';
import { report } from './commands/report.ts';
import { serve } from './commands/serve.ts';
import { simulate } from './commands/simulate.ts';
import { user } from './commands/user.ts';
import { backup, restore } from './commands/backup.ts';

const COMMANDS: Command[] = [demo, generate, ingest, refresh, indicators, audit, simulate, report, compensate, exportCommand, user, backup, restore, policySchema, serve];

function overview(): string {
  return [
    'ncms — 县级新农合/居民医保数据平台 (county medical insurance data platform)',
    '',
    '用法 usage: ncms <命令 command> [选项 options]   （ncms <命令> --help 查看各命令的选项、默认值和退出码）',
    '',
    '命令 commands:',
    ...COMMANDS.map((c) => `  ${padEnd(c.name, 15)}${c.zh} (${c.en})`),
    '',
    '退出码 exit codes: 0 成功 ok；1 运行失败 runtime failure；2 用法错误 bad usage；3 有文件或行被拒收 rejected；4 数据库被占用 database in use',
  ].join('\n');
}

/** Errors that are about the situation, not a bug: a plain message and their exit code. */
async function explain(e: unknown): Promise<{ code: ExitCode; message: string } | undefined> {
  if (e instanceof UsageError) return { code: EXIT.usage, message: e.message };
  const name = (e as Error)?.name;
  if (name === 'ConfigError' || name === 'PolicyFileError') return { code: EXIT.usage, message: (e as Error).message };
  if (name === 'DatabaseInUseError') return { code: EXIT.dbInUse, message: (e as Error).message };
  if (name === 'DatabaseMissingError') return { code: EXIT.runtime, message: (e as Error).message };
  return undefined;
}

async function main(argv: string[]): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview() + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`未知命令 "${name}" (unknown command)。可用命令 (commands): ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs(cmd, rest);
    if (values.help) {
      process.stdout.write(helpText(cmd) + '\n');
      return EXIT.ok;
    }
    return await cmd.run(values as never, positionals);
  } catch (e) {
    const known = await explain(e);
    process.stderr.write(known ? `${known.message}\n` : `ncms ${name}: ${(e as Error).message}\n`);
    if (!known && rest.includes('--debug')) process.stderr.write(`${(e as Error).stack}\n`);
    return known?.code ?? EXIT.runtime;
  }
}

// A reader that closed the pipe (`ncms indicators … | head -1`) has what it wanted: end quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT.ok);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
