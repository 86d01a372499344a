/**
 * The process that owns the database: it opens the one warehouse, loads files and refreshes the
 * analytics tables under the write lock, keeps the county's policies in step with its policy
 * folder, runs the schedules, and lets readers query beside all that. The command line uses it
 * for one command at a time; the server for as long as it runs.
 */
import { ingest, markInterruptedRuns, PipelineScheduler, type IngestOptions, type IngestSummary, type SchedulerLog } from '@ncms/pipelines';
import {
  planRefresh, readPolicyFolder, refreshOn, resetAnalytics, storedPolicies, syncPolicies, policyBook,
  type PolicyBook, type RefreshOptions, type RefreshResult,
} from '@ncms/analytics';
import { exportLake } from '@ncms/lake';
import { openWarehouse, openExistingWarehouse, StorageError, type DuckDBConnection, type OpenOptions, type Warehouse } from '@ncms/warehouse';
import type { PlatformConfig } from './config.ts';
import cron, { type ScheduledTask } from 'node-cron';
import { existsSync } from 'node:fs';
import { backupDatabase, pruneBackups, type BackupManifest } from './backup.ts';

export type RefreshProgress = NonNullable<RefreshOptions['onProgress']>;

/** The refresh under way: the year being computed (null while it plans), and how many are to do. */
export interface RefreshState {
  year: number | null;
  index: number;
  total: number;
  /** The years it has still to swap in. */
  pending: readonly number[];
}

export interface IngestOutcome {
  summary: IngestSummary;
  refresh: RefreshResult;
}

/** Reads kept in memory at most (the pages and API answers of the last few hundred views). */
const MEMO_ENTRIES = 500;

/**
 * Test hook: while the file `NCMS_TEST_HOLD_REFRESH` names exists, a refresh that has computed its
 * years keeps the write lock, so a test can act during a load on any machine, however fast or busy.
 */
async function heldForTest(): Promise<void> {
  const hold = process.env.NCMS_TEST_HOLD_REFRESH;
  while (hold && existsSync(hold)) await new Promise((r) => setTimeout(r, 50));
}

export class Platform {
  private scheduler?: PipelineScheduler;
  private backupTask?: ScheduledTask;
  /** Counts the writes that finished; a remembered read belongs to the generation it was made in. */
  private generation = 0;
  private readonly remembered = new Map<string, { generation: number; value: Promise<unknown> }>();
  private snapshot?: { generation: number; ready: Promise<{ dir: string; generation: number }> };
  private refreshState: RefreshState | null = null;
  /** Loads and refreshes asked for and not yet ended: waiting for the write lock, or under way. */
  private unsettled = 0;

  /** Set once DuckDB stopped writing the file (a failed checkpoint on a full disk): the database is open read-only since. */
  private readOnlyCause?: StorageError;
  private reopening?: Promise<void>;

  private constructor(
    private current: Warehouse,
    readonly config: PlatformConfig,
    private readonly openOptions: OpenOptions,
  ) {}

  /** The warehouse (replaced by a read-only one after a fatal write failure). */
  get wh(): Warehouse {
    return this.current;
  }

  /** Why writes are refused until a restart, if they are. */
  get readOnly(): StorageError | undefined {
    return this.readOnlyCause;
  }

  /**
   * Opens the database. `mustExist`: a read command given a path that does not exist says so
   * and creates nothing.
   */
  static async open(db: string, config: PlatformConfig, opts: OpenOptions & { mustExist?: boolean } = {}): Promise<Platform> {
    const { mustExist, ...openOptions } = opts;
    let wh: Warehouse | undefined;
    try {
      wh = mustExist ? await openExistingWarehouse(db, openOptions) : await openWarehouse(db, openOptions);
      if (!opts.readOnly) await wh.write(markInterruptedRuns);
      return new Platform(wh, config, openOptions);
    } catch (e) {
      if (!(e instanceof StorageError) || opts.readOnly) throw e;
      // A disk that takes no writes at all (full): the database opens read-only, and says why.
      wh?.close();
      const platform = new Platform(await openWarehouse(db, { ...openOptions, readOnly: true }), config, openOptions);
      platform.readOnlyCause = new StorageError(e.path, e.cause, true);
      return platform;
    }
  }

  /** Runs `fn` on a connection of its own; readers never wait for a load. */
  read<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.current.read(fn);
  }

  /**
   * A read remembered until the next write (a load or a refresh) ends: the analytics tables only
   * change then, so a page viewed by many is queried once per change, and identical reads that
   * arrive together share one query. A read that fails is not remembered. `key` must name
   * everything the read depends on.
   */
  memo<T>(key: string, read: () => Promise<T>): Promise<T> {
    // NCMS_MEMO=off: every read goes to the database (the benchmark measures the server both ways).
    if (process.env.NCMS_MEMO === 'off') return read();
    const hit = this.remembered.get(key);
    this.remembered.delete(key);
    if (hit && hit.generation === this.generation) {
      this.remembered.set(key, hit); // most recently used last
      return hit.value as Promise<T>;
    }
    const entry = { generation: this.generation, value: read() as Promise<unknown> };
    this.remembered.set(key, entry);
    entry.value.catch(() => this.remembered.get(key) === entry && this.remembered.delete(key));
    for (const oldest of this.remembered.keys()) {
      if (this.remembered.size <= MEMO_ENTRIES) break;
      this.remembered.delete(oldest);
    }
    return entry.value as Promise<T>;
  }

  /**
   * A write, after every earlier one (loads, refreshes, sign-offs); when it ends, remembered
   * reads are forgotten.
   */
  async write<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    try {
      return await this.writing(fn);
    } finally {
      this.generation++;
      this.remembered.clear();
    }
  }

  /**
   * A small write to tables no load or refresh touches and no remembered read depends on (accounts,
   * the audit log): it runs at once, beside a load (a sign-in never waits for one), and the
   * remembered pages and the analyst snapshot stay as they are.
   */
  record<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.writing(fn, 'beside');
  }

  /** A write, unless the database is read-only since a fatal write failure. */
  private async writing<T>(fn: (conn: DuckDBConnection) => Promise<T>, turn: 'queued' | 'beside' = 'queued'): Promise<T> {
    if (this.readOnlyCause) throw this.readOnlyCause;
    try {
      return await (turn === 'queued' ? this.current.write(fn) : this.current.writeBeside(fn));
    } catch (e) {
      if (e instanceof StorageError) await this.afterStorageFailure(e);
      throw e;
    }
  }

  /**
   * After a write the disk refused: the write was rolled back, and the database usually goes on
   * (the next write may find space). But a failed checkpoint makes DuckDB give the file up — every
   * read fails after it — so the file is opened again read-only, with everything committed, and
   * the server keeps answering; writes are refused, saying why, until it is restarted.
   */
  private afterStorageFailure(e: StorageError): Promise<void> {
    // Writes queued behind the failed one fail alike: the first of them does the reopening.
    this.reopening ??= (async () => {
      if (this.readOnlyCause || (await this.current.read((c) => c.run('SELECT 1')).then(() => true, () => false))) return;
      const { path } = this.current;
      this.current.close();
      this.current = await openWarehouse(path, { ...this.openOptions, readOnly: true });
      this.readOnlyCause = new StorageError(path, e.cause, true);
      this.generation++;
      this.remembered.clear();
    })().finally(() => (this.reopening = undefined));
    return this.reopening;
  }

  /**
   * The analyst snapshot: a masked lake export beside the database (`<db>.analyst/`), brought up
   * to date on first use after each write (incrementally: only changed partitions are rewritten).
   * Analyst SQL reads it in a process of its own, never this database.
   */
  analystSnapshot(): Promise<{ dir: string; generation: number }> {
    if (this.snapshot?.generation === this.generation) return this.snapshot.ready;
    const generation = this.generation;
    const dir = `${this.wh.path}.analyst`;
    const ready = this.read((conn) => exportLake(conn, dir, { mask: true })).then(() => ({ dir, generation }));
    this.snapshot = { generation, ready };
    ready.catch(() => this.snapshot?.ready === ready && (this.snapshot = undefined));
    return ready;
  }

  /** A consistent backup of the whole database into a new folder under `outDir` (readers and loads go on). */
  backup(outDir: string): Promise<{ dir: string; manifest: BackupManifest }> {
    return this.read((conn) => backupDatabase(conn, outDir, this.wh.path));
  }

  /** The county's policies as the warehouse holds them. */
  policies(): Promise<PolicyBook> {
    return this.memo('platform:policies', () => this.read(async (conn) => policyBook((await storedPolicies(conn)).map((p) => p.policy))));
  }

  /**
   * Reads the policy folder into the warehouse (a folder that does not exist leaves the stored
   * policies as they are), then rebuilds the analytics years that are out of date.
   */
  refresh(onProgress?: RefreshProgress, onStep?: RefreshOptions['onStep'], opts: { full?: boolean; verify?: boolean } = {}): Promise<RefreshResult & { policiesChanged: boolean }> {
    return this.settling(async () => {
      const files = await readPolicyFolder(this.config.policiesDir);
      const progress: RefreshProgress = (e) => {
        this.refreshState = { year: e.year, index: e.index, total: e.total, pending: e.years.slice(e.phase === 'done' ? e.index + 1 : e.index) };
        onProgress?.(e);
      };
      return this.write(async (conn) => {
        this.refreshState = { year: null, index: 0, total: 0, pending: [] };
        try {
          const policiesChanged = files ? await syncPolicies(conn, files) : false;
          if (opts.full) await resetAnalytics(conn);
          const r = await refreshOn(conn, { openingBalance: this.config.openingBalance, onProgress: progress, onStep, verify: opts.verify });
          await heldForTest();
          return { ...r, policiesChanged };
        } finally {
          this.refreshState = null;
        }
      });
    });
  }

  /** The refresh under way, if any (a page with no figures yet says which year is being computed). */
  refreshing(): RefreshState | null {
    return this.refreshState;
  }

  /**
   * No load or refresh is asked for or under way (the one a server starts with included): the
   * analytics tables say what the data says. `GET /healthz?ready` answers from it.
   */
  settled(): boolean {
    return this.unsettled === 0;
  }

  private async settling<T>(work: () => Promise<T>): Promise<T> {
    this.unsettled++;
    try {
      return await work();
    } finally {
      this.unsettled--;
    }
  }

  /** Years whose analytics tables are out of date (O(1) when no load changed rows since the last refresh). */
  staleYears(): Promise<number[]> {
    return this.read(async (conn) => (await planRefresh(conn, { openingBalance: this.config.openingBalance })).stale.map((s) => s.year));
  }

  /** Loads the new files of `dir`, then brings the analytics tables up to date; one writer at a time. */
  ingest(dir: string, opts: IngestOptions = {}, onProgress?: RefreshProgress): Promise<IngestOutcome> {
    return this.settling(async () => {
      const summary = await this.write((conn) => ingest(conn, dir, { maxBadShare: this.config.pipeline.maxBadShare, ...opts }));
      const refresh = await this.refresh(onProgress);
      return { summary, refresh };
    });
  }

  /** Starts the ingest schedules of the configuration (each run followed by a refresh) and the nightly backups. */
  startSchedules(log?: SchedulerLog): void {
    this.scheduler ??= new PipelineScheduler(async (dir, opts) => (await this.ingest(dir, opts)).summary, this.config.pipeline, log);
    this.scheduler.start();
    const b = this.config.backups;
    if (b && !this.backupTask) {
      if (!cron.validate(b.schedule)) throw new Error(`无效的备份 cron 表达式 "${b.schedule}" (backups.schedule)`);
      this.backupTask = cron.schedule(
        b.schedule,
        () =>
          void this.backup(b.dir)
            .then(async (r) => process.stdout.write(`定时备份完成 (scheduled backup): ${r.dir}；删除旧备份 ${(await pruneBackups(b.dir, b.keep)).length} 份\n`))
            .catch((e: Error) => process.stderr.write(`定时备份失败 (scheduled backup failed): ${e.message}\n`)),
        { timezone: this.config.pipeline.timezone },
      );
    }
  }

  /** Stops the schedules, waits for a run in progress and closes the database. */
  async close(): Promise<void> {
    await this.backupTask?.stop();
    await this.scheduler?.stop();
    await this.current.write(async () => undefined);
    this.current.close();
  }
}
