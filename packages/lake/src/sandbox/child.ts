/**
 * The analyst-SQL process: a DuckDB instance of its own, in memory, over the analyst snapshot
 * only. Nothing here can touch the warehouse file (another process holds it) and, after `init`,
 * this instance cannot reach any file outside the snapshot, load or install an extension, or
 * change a setting. Each query runs on a fresh connection, is checked by `prepareRead`, is
 * interrupted at its time limit, and returns at most `limit` rows and `maxBytes` of JSON (plus
 * whether there were more).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { converterFor } from '@ncms/warehouse';
import { readManifest } from '../export/manifest.ts';
import { snapshotViews } from './views.ts';
import { prepareRead, Refusal } from './guard.ts';
import { ANSWER_PART, type SandboxReply, type SandboxRequest, type SandboxSettings } from './protocol.ts';

let instance: DuckDBInstance | undefined;
let settings: SandboxSettings | undefined;
let tables: string[] = [];

async function init(s: SandboxSettings): Promise<string[]> {
  settings = s;
  instance = await DuckDBInstance.create(':memory:', {
    threads: String(s.threads),
    memory_limit: s.memoryLimit,
    autoload_known_extensions: 'false',
    autoinstall_known_extensions: 'false',
    // No spilling: a query that needs more than its memory is refused, and no folder besides the snapshot is reachable.
    temp_directory: '',
  });
  const conn = await instance.connect();
  try {
    await conn.run(`SET allowed_directories = ['${s.dir.replaceAll("'", "''")}']`);
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
  } finally {
    conn.closeSync();
  }
  return reload();
}

/** (Re)creates one view per table of the snapshot's manifest. */
async function reload(): Promise<string[]> {
  const conn = await instance!.connect();
  try {
    const manifest = await readManifest(settings!.dir);
    const views = manifest ? snapshotViews(settings!.dir, manifest) : [];
    for (const v of views) await conn.run(v.sql);
    tables = views.map((v) => v.name);
    return tables;
  } finally {
    conn.closeSync();
  }
}

/**
 * The answer as the JSON text the server sends on (`QueryAnswer`): rows are read a chunk at a
 * time and stop at `limit` rows or `maxBytes` of JSON, whichever comes first, so neither this
 * process nor the server ever holds more than one answer's worth.
 */
async function query(sql: string, limit: number, maxBytes: number): Promise<string> {
  const started = performance.now();
  const conn: DuckDBConnection = await instance!.connect();
  let timedOut = false;
  const watchdog = setTimeout(() => {
    timedOut = true;
    conn.interrupt();
  }, settings!.timeoutMs);
  try {
    const prepared = await prepareRead(conn, sql);
    const result = await prepared.stream();
    const names = result.columnNames();
    const types = result.columnTypes();
    const convert = types.map(converterFor);
    const columns = JSON.stringify(names.map((name, i) => ({ name, type: types[i]!.toString() })));
    const rows: string[] = [];
    // The answer's frame (columns, flags) counts against the cap too.
    let bytes = Buffer.byteLength(columns) + 100;
    let truncated: false | 'rows' | 'bytes' = false;
    reading: for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const vectors = names.map((_, c) => chunk.getColumnVector(c));
      for (let r = 0; r < chunk.rowCount; r++) {
        if (rows.length === limit) {
          truncated = 'rows';
          break reading;
        }
        const row = JSON.stringify(vectors.map((v, c) => convert[c]!(v.getItem(r))));
        bytes += Buffer.byteLength(row) + 1;
        if (bytes > maxBytes) {
          truncated = 'bytes';
          break reading;
        }
        rows.push(row);
      }
    }
    const note = truncated === 'bytes' ? `,"note":${JSON.stringify(`结果超过 ${Math.round(maxBytes / 2 ** 20)} MB 的上限，只给出前 ${rows.length} 行。请先汇总（GROUP BY）或只选需要的列。`)}` : '';
    return `{"columns":${columns},"rows":[${rows.join(',')}],"truncated":${truncated !== false},"elapsed_ms":${Math.round(performance.now() - started)}${note}}`;
  } catch (e) {
    if (timedOut) throw new Refusal('timeout', '');
    throw e;
  } finally {
    clearTimeout(watchdog);
    conn.closeSync();
  }
}

function reply(m: SandboxReply): void {
  process.send!(m);
}

process.on('message', (m: SandboxRequest) => {
  const run = async (): Promise<SandboxReply> => {
    if (m.kind === 'init') return { id: m.id, ok: true, tables: await init(m.settings) };
    if (m.kind === 'reload') return { id: m.id, ok: true, tables: await reload() };
    const text = await query(m.sql, m.limit, m.maxBytes);
    for (let at = 0; at + ANSWER_PART < text.length; at += ANSWER_PART) reply({ id: m.id, ok: true, json: text.slice(at, at + ANSWER_PART), more: true });
    return { id: m.id, ok: true, json: text.slice(Math.floor((text.length - 1) / ANSWER_PART) * ANSWER_PART) };
  };
  run().then(reply, (e: Error) => {
    if (e instanceof Refusal) return reply({ id: m.id, ok: false, code: e.code, message: e.message });
    reply({ id: m.id, ok: false, code: 'sql_error', message: e.message });
  });
});

// The server going away takes this process with it.
process.on('disconnect', () => process.exit(0));
