/** Shared plumbing of the commands: option parsing with clear usage errors, exit codes, progress on stderr. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const EXIT = { ok: 0, runtime: 1, usage: 2, rejected: 3, dbInUse: 4 } as const;

/** A problem with how the command was called: exit 2, one line per problem. */
export class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<number>;
}

export function parse(cmd: Command, argv: string[]) {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...cmd.options, help: { type: 'boolean', short: 'h' }, debug: { type: 'boolean' } }, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    throw new UsageError([(e as Error).message.split('\n')[0]!, `用法 usage: ${cmd.usage}`]);
  }
}

/** Runs an option parser, adding its usage problems to `problems` (all are reported at once). */
export function option<T>(problems: string[], parse: () => T, fallback: T): T {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    problems.push(...e.problems);
    return fallback;
  }
}

export function intOption(name: string, v: unknown, def: number, min = 0): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError([`--${name} 应为不小于 ${min} 的整数 (got "${String(v)}")`]);
  return n;
}

/** Progress for long work: a bar on a terminal, plain lines when stderr is a file or pipe. */
export class Progress {
  private readonly tty = process.stderr.isTTY === true;
  private readonly started = Date.now();
  constructor(private readonly label: string) {}
  update(done: number, total: number, note = '', rows = 0): void {
    const secs = (Date.now() - this.started) / 1000;
    const rate = rows && secs > 0 ? ` ${Math.round(rows / secs).toLocaleString('en-US')} rows/s` : '';
    if (this.tty) {
      const width = 24;
      const fill = total ? Math.round((done / total) * width) : 0;
      process.stderr.write(`\r${this.label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total}${rate} ${note}`.slice(0, 160).padEnd(100));
    } else {
      process.stderr.write(`${this.label} ${done}/${total}${rate} ${note}\n`);
    }
  }
  done(msg = ''): void {
    if (this.tty) process.stderr.write('\r'.padEnd(120) + '\r');
    if (msg) process.stderr.write(msg + '\n');
  }
}
