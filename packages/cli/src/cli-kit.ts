/**
 * A command is data: its options (type, default, description in Chinese and English), its
 * positional arguments and exit codes. From that one description come the parser — which
 * reports every problem at once, one line each — and the `--help` text. Commands import
 * their heavy dependencies inside `run`, so `ncms --help` loads none of them.
 */

export const EXIT = { ok: 0, runtime: 1, usage: 2, rejected: 3, dbInUse: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const EXIT_TEXT: Record<ExitCode, string> = {
  0: '0 成功 (ok)',
  1: '1 运行失败 (runtime failure)',
  2: '2 用法错误 (bad usage)',
  3: '3 有文件或行被拒收 (a file or row was rejected)',
  4: '4 数据库被其他进程占用 (database held by another process)',
};

/** A problem with how the command was called: exit 2, one line per problem. */
export class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export type OptionType =
  | { kind: 'string'; placeholder: string }
  | { kind: 'flag' }
  | { kind: 'int'; placeholder: string; min?: number; max?: number }
  | { kind: 'number'; placeholder: string; above?: number; max?: number }
  | { kind: 'enum'; values: readonly string[] }
  /** 元 with at most two decimals, kept as exact text. */
  | { kind: 'amount'; placeholder: string }
  /** A rate such as 0.2366 (at most 4 decimals), kept as exact text. */
  | { kind: 'rate'; placeholder: string };

export interface OptionSpec {
  type: OptionType;
  zh: string;
  en: string;
  /** Shown in help; applied when the option is absent. */
  default?: string | number | boolean;
  required?: boolean;
  /** A further check of the value as written: the problem in words, or undefined when it is fine. */
  check?: (raw: string) => string | undefined;
}

export interface PositionalSpec {
  name: string;
  zh: string;
  en: string;
  /** May be left out (the command says when it needs it: `ncms user list` names no user). */
  optional?: boolean;
}

type ValueOf<T extends OptionType> = T extends { kind: 'flag' } ? boolean : T extends { kind: 'int' | 'number' } ? number : string;
export type ArgValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: O[K] extends { default: unknown } | { required: true } ? ValueOf<O[K]['type']> : ValueOf<O[K]['type']> | undefined;
};

export interface Command<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  name: string;
  zh: string;
  en: string;
  options: O;
  positionals?: readonly PositionalSpec[];
  exitCodes: readonly ExitCode[];
  examples?: readonly string[];
  run(args: ArgValues<O>, positionals: string[]): Promise<ExitCode>;
}

export function defineCommand<const O extends Record<string, OptionSpec>>(c: Command<O>): Command {
  return c as unknown as Command;
}

/** Options several commands share, written once. */
export const YEAR_OPTION = { type: { kind: 'int', placeholder: 'Y', min: 1990, max: 2100 }, zh: '年度', en: 'the scheme year', required: true } as const satisfies OptionSpec;
export const TABLE_FORMAT_OPTION = { type: { kind: 'enum', values: ['csv', 'json'] }, zh: '输出格式', en: 'output format', default: 'csv' } as const satisfies OptionSpec;
export const LABELS_OPTION = {
  type: { kind: 'enum', values: ['ids', 'zh'] },
  zh: '表头与代码：英文代码或中文（zh 时 CSV 带 BOM，便于 Excel 打开）',
  en: 'headers and codes as ids or in Chinese (zh: CSV with a BOM for Excel)',
  default: 'ids',
} as const satisfies OptionSpec;

/** Options every command takes. */
export const COMMON: Record<string, OptionSpec> = {
  help: { type: { kind: 'flag' }, zh: '显示本帮助', en: 'show this help' },
  debug: { type: { kind: 'flag' }, zh: '出错时显示调用栈', en: 'show the stack trace of a failure' },
};

function placeholder(t: OptionType): string {
  return t.kind === 'flag' ? '' : t.kind === 'enum' ? t.values.join('|') : t.placeholder;
}

function convert(name: string, spec: OptionSpec, raw: string): { value?: string | number; problem?: string } {
  const t = spec.type;
  const bad = (what: string) => ({ problem: `--${name} ${what} (got "${raw}")` });
  switch (t.kind) {
    case 'string':
      return raw === '' ? bad('不能为空 (must not be empty)') : { value: raw };
    case 'enum':
      return t.values.includes(raw) ? { value: raw } : bad(`应为 ${t.values.join('、')} 之一 (one of ${t.values.join(', ')})`);
    case 'int': {
      const n = Number(raw);
      const range = `${t.min ?? '−∞'} 到 ${t.max ?? '∞'}`;
      if (!/^-?\d+$/.test(raw) || (t.min !== undefined && n < t.min) || (t.max !== undefined && n > t.max))
        return bad(`应为 ${range} 之间的整数 (an integer from ${t.min ?? '-inf'} to ${t.max ?? 'inf'})`);
      return { value: n };
    }
    case 'number': {
      const n = Number(raw);
      if (!/^-?\d+(\.\d+)?$/.test(raw) || (t.above !== undefined && !(n > t.above)) || (t.max !== undefined && n > t.max))
        return bad(`应为大于 ${t.above ?? '−∞'}${t.max !== undefined ? `、不超过 ${t.max}` : ''} 的数 (a number above ${t.above ?? '-inf'}${t.max !== undefined ? ` and at most ${t.max}` : ''})`);
      return { value: n };
    }
    case 'amount':
      return /^-?\d+(\.\d{1,2})?$/.test(raw) ? { value: raw } : bad('应为以元计、最多两位小数的金额，如 1000 或 1234.50 (an amount in 元, at most 2 decimals)');
    case 'rate':
      return /^-?\d+(\.\d{1,4})?$/.test(raw) ? { value: raw } : bad('应写成小数、最多 4 位，如 0.2366；23.66% 写作 0.2366 (a rate with at most 4 decimals)');
    case 'flag':
      return { value: raw };
  }
}

/** Parses argv against the command; every problem is collected and thrown together. */
export function parseArgs(cmd: Command, argv: readonly string[]): { values: Record<string, unknown>; positionals: string[] } {
  const specs: Record<string, OptionSpec> = { ...cmd.options, ...COMMON };
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  const positionals: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h') {
      values.help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const spec = specs[name];
    if (!spec) {
      problems.push(`未知选项 --${name} (unknown option)；可用选项 (options): ${Object.keys(cmd.options).map((o) => `--${o}`).join(' ') || '无 (none)'}`);
      if (eq < 0 && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) i++;
      continue;
    }
    if (spec.type.kind === 'flag') {
      if (eq >= 0) problems.push(`--${name} 是开关，不带取值 (a flag takes no value)`);
      values[name] = true;
      continue;
    }
    let raw: string | undefined;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) raw = argv[++i];
    if (raw === undefined) {
      problems.push(`--${name} 缺少取值 ${placeholder(spec.type)} (needs a value)`);
      continue;
    }
    if (given.has(name)) problems.push(`--${name} 给了不止一次 (given more than once)`);
    given.add(name);
    const c = convert(name, spec, raw);
    const further = c.problem ? undefined : spec.check?.(raw);
    if (c.problem ?? further) problems.push(c.problem ?? `--${name} ${further} (got "${raw}")`);
    else values[name] = c.value;
  }
  if (values.help) return { values, positionals };
  for (const [name, spec] of Object.entries(cmd.options)) {
    if (given.has(name) || values[name] !== undefined) continue;
    if (spec.required) problems.push(`--${name} ${placeholder(spec.type)} 是必需的 (required: ${spec.en})`);
    else if (spec.default !== undefined) values[name] = spec.default;
  }
  const expected = cmd.positionals ?? [];
  if (positionals.length > expected.length) problems.push(`多余的参数 (unexpected argument): ${positionals.slice(expected.length).join(' ')}`);
  for (const p of expected.slice(positionals.length).filter((x) => !x.optional)) problems.push(`缺少参数 ${p.name}：${p.zh} (missing ${p.en})`);
  if (problems.length) throw new UsageError([...problems, `用法 usage: ${usageLine(cmd)}（ncms ${cmd.name} --help 查看说明）`]);
  return { values, positionals };
}

export function usageLine(cmd: Command): string {
  const opts = Object.entries(cmd.options).map(([n, s]) => {
    const p = placeholder(s.type);
    const text = `--${n}${p ? ` ${p}` : ''}`;
    return s.required ? text : `[${text}]`;
  });
  return ['ncms', cmd.name, ...opts, ...(cmd.positionals ?? []).map((p) => (p.optional ? `[${p.name}]` : p.name))].join(' ');
}

/** Display width in a terminal: CJK characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}

export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export function helpText(cmd: Command): string {
  const rows = Object.entries({ ...cmd.options, ...COMMON }).map(([n, s]) => {
    const p = placeholder(s.type);
    const def = s.required ? '必需 (required)' : s.default !== undefined ? `默认 (default) ${String(s.default)}` : '';
    return [`  --${n}${p ? ` ${p}` : ''}`, `${s.zh} (${s.en})${def ? `；${def}` : ''}`];
  });
  const width = Math.min(34, Math.max(...rows.map(([a]) => displayWidth(a!))) + 2);
  return [
    `ncms ${cmd.name} — ${cmd.zh} (${cmd.en})`,
    '',
    `用法 usage: ${usageLine(cmd)}`,
    ...(cmd.positionals?.length ? ['', '参数 arguments:', ...cmd.positionals.map((p) => `  ${padEnd(p.name, width - 2)}${p.zh} (${p.en})`)] : []),
    '',
    '选项 options:',
    ...rows.map(([a, b]) => (displayWidth(a!) >= width ? `${a}\n${' '.repeat(width)}${b}` : `${padEnd(a!, width)}${b}`)),
    '',
    `退出码 exit codes: ${cmd.exitCodes.map((c) => EXIT_TEXT[c]).join('；')}`,
    ...(cmd.examples?.length ? ['', '示例 examples:', ...cmd.examples.map((e) => `  ${e}`)] : []),
  ].join('\n');
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
