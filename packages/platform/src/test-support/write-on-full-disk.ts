/**
 * Run by platform.test.ts in a process whose files may not grow (RLIMIT_FSIZE, as on a full
 * disk): with a little room, the open succeeds and a small write commits to the write-ahead log,
 * then the checkpoint that moves it into the database file fails — which makes DuckDB give the
 * file up; with none, the open's own writes fail (when it has any: macros to apply again). Prints
 * what the platform did.
 */
import { rows } from '@ncms/warehouse';
import { Platform, parsePlatformConfig } from '../index.ts';

const db = process.argv[2]!;
const platform = await Platform.open(db, parsePlatformConfig({}, 'none.json'));
const runs = () => platform.read((c) => rows<{ n: number }>(c, 'SELECT count(*)::INTEGER AS n FROM pipeline_runs'));
const failure = (e: unknown) => ({ name: (e as Error).name, message: (e as Error).message });
const out: Record<string, unknown> = { openedReadOnly: platform.readOnly?.message ?? null, before: await runs() };
out.checkpoint = await platform
  .write(async (c) => {
    await c.run(`INSERT INTO pipeline_runs (trigger, source_dir, kinds, started_at, status) VALUES ('cli', '/probe', ['census'], now(), 'ok')`);
    await c.run('CHECKPOINT');
  })
  .then(() => 'written', failure);
out.readOnly = platform.readOnly?.message ?? null;
out.after = await runs().catch(failure);
out.nextWrite = await platform.record((c) => c.run('SELECT 1')).then(() => 'written', failure);
await platform.close();
process.stdout.write(JSON.stringify(out));
