/** `ncms`: the front door for operators and scripts (spec/cli.md). */
import { DatabaseInUseError } from '@ncms/warehouse';
import { ConfigError } from '@ncms/pipelines';
import { EXIT, UsageError, parse, type Command } from './cli-kit.ts';
import { generate } from './commands/generate.ts';
import { ingest } from './commands/ingest.ts';
import { demo } from './commands/demo.ts';
import { schedule } from './commands/schedule.ts';
import { compensate } from './commands/compensate.ts';
import { audit } from './commands/audit.ts';
import { simulate } from './commands/simulate.ts';
import { indicators } from './commands/indicators.ts';
import { policySchema } from './commands/policy-schema.ts';

const COMMANDS: Command[] = [demo, generate, ingest, indicators, compensate, audit, simulate, policySchema, schedule];

function help(): string {
  return [
    'ncms — 县级新农合/居民医保数据平台 (county medical insurance data platform)',
    '',
    '用法 usage: ncms <command> [options]   (ncms <command> --help for details)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 3 a file was rejected, 4 database in use by another process.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`未知命令 unknown command "${name}"。可用 available: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return EXIT.usage;
  }
  const debug = rest.includes('--debug');
  try {
    const args = parse(cmd, rest);
    if (args.values.help) {
      process.stdout.write(`${cmd.summary}\n\n用法 usage: ${cmd.usage}\n`);
      return EXIT.ok;
    }
    return await cmd.run(args);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(e.message + '\n');
      return EXIT.usage;
    }
    if (e instanceof DatabaseInUseError) {
      process.stderr.write(e.message + '\n');
      return EXIT.dbInUse;
    }
    process.stderr.write(`ncms ${name}: ${(e as Error).message}\n`);
    if (debug) process.stderr.write(`${(e as Error).stack}\n`);
    return EXIT.runtime;
  }
}

process.exitCode = await main(process.argv.slice(2));
