/**
 * Runs ingests on node-cron schedules inside the process that owns the database.
 * Runs are serialised, a job never overlaps itself (a tick that finds it still running or
 * queued is skipped and logged), and a failing run is recorded and logged while the schedule
 * goes on. What a run does is the caller's: the platform loads the files and refreshes the
 * analytics tables under the database's write lock.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { KIND_ORDER, type KindName } from '@ncms/extracts';
import type { IngestOptions, IngestSummary } from '../ingest.ts';
import type { PipelineConfig } from './config.ts';

/** Loads the new files of a source directory (ingest, and whatever the owner does after it). */
export type IngestRunner = (dir: string, opts: IngestOptions) => Promise<IngestSummary>;

export type RunOutcome =
  | { status: 'done'; summary: IngestSummary }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; error: string };

export interface SchedulerLog {
  info(msg: string): void;
  error(msg: string): void;
}

export class PipelineScheduler {
  private tasks: ScheduledTask[] = [];
  private busy = new Set<string>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ingest: IngestRunner,
    private readonly config: PipelineConfig,
    private readonly log: SchedulerLog = { info: (m) => console.error(m), error: (m) => console.error(m) },
  ) {}

  /** Schedules every (source, kind) pair; kinds sharing a cron expression run together, in load order. */
  start(): void {
    for (const src of this.config.sources) {
      const byCron = new Map<string, KindName[]>();
      for (const k of KIND_ORDER) {
        const expr = src.schedules[k];
        if (!expr) continue;
        if (!cron.validate(expr)) throw new Error(`无效的 cron 表达式 "${expr}"（${src.dir} / ${k}）`);
        byCron.set(expr, [...(byCron.get(expr) ?? []), k]);
      }
      for (const [expr, kinds] of byCron) {
        const task = cron.schedule(expr, () => void this.runNow(src.dir, kinds, 'schedule'), { timezone: this.config.timezone });
        this.tasks.push(task);
      }
    }
    this.log.info(`调度已启动 scheduler started: ${this.tasks.length} job(s), time zone ${this.config.timezone}`);
  }

  /** Stops the schedules and waits for a run in progress, so the database can be closed safely. */
  async stop(): Promise<void> {
    for (const t of this.tasks) void t.stop();
    this.tasks = [];
    await this.chain.catch(() => undefined);
  }

  /** Runs (or queues) one ingest; a job already running or queued is not started twice. */
  runNow(dir: string, kinds: readonly KindName[] = KIND_ORDER, trigger: 'schedule' | 'api' | 'cli' | 'test' = 'api'): Promise<RunOutcome> {
    const key = `${dir}\u0000${kinds.join(',')}`;
    if (this.busy.has(key)) {
      const reason = `上一次运行尚未结束，本次跳过 (previous run of ${dir} [${kinds.join(', ')}] still going)`;
      this.log.info(reason);
      return Promise.resolve({ status: 'skipped', reason });
    }
    this.busy.add(key);
    const run = this.chain.then(async (): Promise<RunOutcome> => {
      try {
        const summary = await this.ingest(dir, { kinds, trigger, maxBadShare: this.config.maxBadShare, settleSeconds: this.config.settleSeconds });
        const n = summary.files.filter((f) => f.status === 'loaded').length;
        const waiting = summary.waiting.length ? `, ${summary.waiting.length} still being written (next run)` : '';
        this.log.info(`run #${summary.runId} ${dir} [${kinds.join(', ')}]: ${n} file(s) loaded, ${summary.files.filter((f) => f.status === 'rejected').length} rejected${waiting}`);
        return { status: 'done', summary };
      } catch (e) {
        const error = (e as Error).message;
        this.log.error(`pipeline run failed ${dir} [${kinds.join(', ')}]: ${error}`);
        return { status: 'failed', error };
      } finally {
        this.busy.delete(key);
      }
    });
    this.chain = run;
    return run;
  }
}
