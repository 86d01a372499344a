/**
 * The analyst's SQL, kept away from the server's own DuckDB (which may read and write files for
 * ingest): DuckDB's security guide says to treat SQL like shell access and isolate it. Queries
 * run in a child process (`child.ts`) with its own in-memory instance over the masked analyst
 * snapshot; a crash, a runaway query or exhausted memory there costs the analyst a query, not
 * the county its server. The child interrupts a query at its time limit; if it does not answer
 * shortly after, this side kills it and the next query starts a new one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { QueryAnswer, RefusalCode, SandboxReply, SandboxRequest, SandboxSettings } from './protocol.ts';

/** Rows an answer shows at most, and rows an export holds at most. */
export const SHOWN_ROWS = 10_000;
export const EXPORTED_ROWS = 100_000;
/** Bytes of JSON an answer (or an export's rows) holds at most: the analyst console's 50 MB. */
export const ANSWER_BYTES = 50 * 1024 * 1024;

export class SandboxError extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

/** How the child is started: the bundled script when built, else the TypeScript through tsx. */
function childEntry(): { script: string; execArgv: string[] } {
  const root = dirname(createRequire(import.meta.url).resolve('@ncms/lake/package.json'));
  const built = join(root, 'dist', 'sandbox-child.js');
  if (existsSync(built)) return { script: built, execArgv: [] };
  return { script: join(root, 'src', 'sandbox', 'child.ts'), execArgv: ['--import', 'tsx'] };
}

const CHILD_DIED =
  '查询进程因内存耗尽（或被系统终止）而退出，正在运行的查询均已中止——可能是某个查询的结果过大。请重试；若仍失败，请先汇总（GROUP BY）、缩小范围或只选需要的列。(the query process ran out of memory)';

/** nice 10 (a process may always lower its own children's priority; where it cannot, nothing changes). */
function lowerPriority(pid: number): void {
  try {
    setPriority(pid, 10);
  } catch {
    // not permitted here: the child runs at the server's priority
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Pending = { resolve: (r: SandboxReply & { parts?: string[] }) => void; timer?: NodeJS.Timeout; parts: string[] };

export class AnalystSandbox {
  private child?: ChildProcess;
  private starting?: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** The snapshot's tables, as the child last loaded them. */
  tables: string[] = [];
  readonly settings: SandboxSettings;

  constructor(settings: Partial<SandboxSettings> & { dir: string }) {
    this.settings = { memoryLimit: '1GB', threads: 1, timeoutMs: 30_000, ...settings, dir: resolve(settings.dir) };
  }

  private send(req: DistributiveOmit<SandboxRequest, 'id'>, deadlineMs?: number): Promise<SandboxReply & { parts?: string[] }> {
    const child = this.child!;
    const id = this.nextId++;
    return new Promise((resolveReply) => {
      const p: Pending = { resolve: resolveReply, parts: [] };
      if (deadlineMs) p.timer = setTimeout(() => this.kill(child, 'timeout'), deadlineMs);
      this.pending.set(id, p);
      // The channel keeps this process alive only while a query waits on it: an idle child must
      // not stop a server from exiting (the child leaves when its channel closes).
      child.channel?.ref();
      child.send({ ...req, id } as SandboxRequest);
    });
  }

  /** Ends a child that no longer answers; every query waiting on it gets `code` and `why`. */
  private kill(child: ChildProcess, code: RefusalCode, why = ''): void {
    if (this.child === child) {
      this.child = undefined;
      this.starting = undefined;
    }
    child.kill('SIGKILL');
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ id, ok: false, code, message: why });
    }
    this.pending.clear();
  }

  private start(): Promise<void> {
    if (this.child && this.starting) return this.starting;
    const { script, execArgv } = childEntry();
    // The child's JavaScript heap is small: DuckDB's memory lives outside it, under memory_limit.
    const child = fork(script, [], { execArgv: [...execArgv, '--max-old-space-size=512'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    this.child = child;
    // Below the server in the scheduler's order: on a county's two cores, an analyst's heavy
    // query waits for the pages and /healthz, not they for it.
    if (child.pid) lowerPriority(child.pid);
    child.unref();
    child.on('message', (m: SandboxReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.ok && m.json !== undefined) p.parts.push(m.json);
      if (m.ok && m.more) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (!this.pending.size) child.channel?.unref();
      p.resolve({ ...m, parts: p.parts });
    });
    // Killed from outside (the system out of memory) or crashed (its JavaScript heap full): every
    // query it was running is told so, the next one starts a new child.
    child.on('exit', () => {
      if (this.child === child) this.kill(child, 'too_large', CHILD_DIED);
    });
    this.starting = this.send({ kind: 'init', settings: this.settings }, 60_000).then((r) => {
      if (!r.ok) throw new SandboxError('sql_error', `查询环境启动失败：${r.message}`);
      this.tables = r.tables ?? [];
    });
    this.starting.catch(() => this.child === child && this.kill(child, 'sql_error'));
    return this.starting;
  }

  /** Runs one read of the snapshot; at most `limit` rows (≤ SHOWN_ROWS unless exporting). */
  async query(sql: string, limit = 1000, opts: { export?: boolean } = {}): Promise<QueryAnswer> {
    return JSON.parse((await this.queryJson(sql, limit, opts)).join('')) as QueryAnswer;
  }

  /**
   * The same answer as the JSON text of a `QueryAnswer`, as the child wrote it (at most
   * ANSWER_BYTES), in the parts it came in (joined, they are the text): a server passes them on
   * without joining, parsing or re-serialising them on its event loop.
   */
  async queryJson(sql: string, limit = 1000, opts: { export?: boolean } = {}): Promise<string[]> {
    const cap = opts.export ? EXPORTED_ROWS : SHOWN_ROWS;
    const n = Math.max(1, Math.min(Math.floor(limit) || 1, cap));
    await this.start();
    const r = await this.send({ kind: 'query', sql, limit: n, maxBytes: ANSWER_BYTES }, this.settings.timeoutMs + 5_000);
    if (r.ok) return r.parts!;
    if (r.code === 'timeout') throw new SandboxError('timeout', `查询超过 ${Math.round(this.settings.timeoutMs / 1000)} 秒的时限，已中止。请缩小范围（加 WHERE 条件或按年份筛选）后再试。`);
    if (r.code === 'sql_error' && /out of memory|memory limit/i.test(r.message))
      throw new SandboxError('too_large', `查询所需内存超过 ${this.settings.memoryLimit} 的上限，已中止。请先汇总（GROUP BY）或缩小范围。`);
    if (r.code === 'sql_error' && /disabled by configuration|Permission Error/i.test(r.message))
      throw new SandboxError('refused', `查询分析只能读取分析快照中的表，不能访问其他文件、网络或扩展。(${r.message.split('\n')[0]})`);
    throw new SandboxError(r.code, r.message || '查询未能完成 (query failed)');
  }

  /** The child's process id while one runs (diagnostics; tests end it as the system would). */
  get childPid(): number | undefined {
    return this.child?.pid;
  }

  /** Re-reads the snapshot's manifest (after a new export). */
  async reload(): Promise<void> {
    if (!this.child) return; // the next start reads it anyway
    await this.start();
    const r = await this.send({ kind: 'reload' }, 60_000);
    if (r.ok) this.tables = r.tables ?? [];
  }

  close(): void {
    if (this.child) this.kill(this.child, 'sql_error');
  }
}
