import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { query } from '@ncms/warehouse';
import { PipelineScheduler, defaultConfig, parseConfig, ConfigError, ingest } from '../index.ts';
import { sandbox, CENSUS, type Sandbox } from '../test-support/fixtures.ts';

let sb: Sandbox;
/** The default configuration without the settle time, for tests that load files they have just written. */
const config = () => ({ ...defaultConfig(sb.src), settleSeconds: 0 });
const logs: string[] = [];
const log = { info: (m: string) => logs.push(m), error: (m: string) => logs.push(`ERROR ${m}`) };
beforeEach(async () => {
  sb = await sandbox();
  logs.length = 0;
});
afterEach(async () => {
  await sb.cleanup();
});

describe('PipelineScheduler', () => {
  it('never runs a job twice at once, and records each run', async () => {
    await sb.put('census/c.csv', CENSUS);
    const s = new PipelineScheduler((dir, o) => ingest(sb.conn, dir, o), config(), log);
    const [a, b] = await Promise.all([s.runNow(sb.src, ['census']), s.runNow(sb.src, ['census'])]);
    expect(a.status).toBe('done');
    expect(b.status).toBe('skipped');
    const c = await s.runNow(sb.src, ['census']);
    expect(c.status === 'done' && c.summary.files[0]!.status).toBe('unchanged');
    const runs = await query(sb.conn, 'SELECT status, files_loaded, files_unchanged FROM pipeline_runs ORDER BY run_id');
    expect(runs).toEqual([
      { status: 'ok', files_loaded: 1, files_unchanged: 0 },
      { status: 'ok', files_loaded: 0, files_unchanged: 1 },
    ]);
  });

  it('treats a source directory that does not exist yet as an empty run', async () => {
    const s = new PipelineScheduler((dir, o) => ingest(sb.conn, dir, o), config(), log);
    const r = await s.runNow(join(sb.dir, 'not-yet'), ['census']);
    expect(r.status === 'done' ? r.summary.files.length : r.status).toBe(0);
  });

  it('records a run that throws as failed and keeps going', async () => {
    const s = new PipelineScheduler((dir, o) => ingest(sb.conn, dir, o), config(), log);
    await sb.put('census', 'a file where the census folder should be');
    const bad = await s.runNow(sb.src, ['census']);
    expect(bad.status).toBe('failed');
    expect(logs.some((l) => l.startsWith('ERROR pipeline run failed'))).toBe(true);
    expect(await query(sb.conn, 'SELECT status FROM pipeline_runs')).toEqual([{ status: 'failed' }]);
    expect((await s.runNow(sb.src, ['ledger'])).status).toBe('done');
  });

  it('fires on its cron schedule', async () => {
    await sb.put('census/c.csv', CENSUS);
    const cfg = config();
    cfg.sources[0]!.schedules = { census: '* * * * * *' }; // every second
    const s = new PipelineScheduler((dir, o) => ingest(sb.conn, dir, o), cfg, log);
    s.start();
    try {
      // Until a run has loaded the file, however long a busy machine makes that (the test's timeout bounds it).
      while ((await query(sb.conn, 'SELECT count(*) n FROM census'))[0]!.n === 0) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await s.stop();
    }
    expect((await query(sb.conn, 'SELECT count(*) n FROM census'))[0]).toEqual({ n: 2 });
    expect((await query<{ trigger: string }>(sb.conn, 'SELECT DISTINCT trigger FROM pipeline_runs'))[0]!.trigger).toBe('schedule');
  });
});

describe('PipelineScheduler: files still being copied in', () => {
  it('leaves a file modified within the settle time for a later run, then loads it', async () => {
    const path = await sb.put('census/c.csv', CENSUS);
    const s = new PipelineScheduler((dir, o) => ingest(sb.conn, dir, o), defaultConfig(sb.src), log); // settle time 60 s
    const first = await s.runNow(sb.src, ['census']);
    expect(first.status === 'done' && [first.summary.files.length, first.summary.waiting]).toEqual([0, [path]]);
    expect(logs.at(-1)).toMatch(/1 still being written/);
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await utimes(path, twoMinutesAgo, twoMinutesAgo);
    const second = await s.runNow(sb.src, ['census']);
    expect(second.status === 'done' && [second.summary.files[0]!.status, second.summary.waiting]).toEqual(['loaded', []]);
  });
});

describe('parseConfig', () => {
  it('names each problem with its path', () => {
    expect(() => parseConfig({ maxBadShare: 2, sources: [{ schedules: { hospital: '* * * * *' } }] })).toThrow(ConfigError);
    const error = (() => {
      try {
        parseConfig({ maxBadShare: 2, settleSeconds: -1, sources: [{ schedules: { hospital: '* * * * *' } }] });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message.split('\n')).toEqual([
      'ncms.config.json: maxBadShare must be a number from 0 to 1',
      'ncms.config.json: settleSeconds must be a number of seconds, 0 or more',
      'ncms.config.json: sources[0].dir must be a directory path',
      'ncms.config.json: sources[0].schedules.hospital is not a kind (census, facilities, enrollment, his, ledger)',
    ]);
  });
});
