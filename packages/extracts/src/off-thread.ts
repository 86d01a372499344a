/**
 * File jobs (hashing, transcoding, XLSX reading) in a worker thread, so the process that owns the
 * database — the server above all — keeps answering while a county's roll is parsed. The worker
 * is the bundled `dist/file-worker.js` (built with the package; found from its package.json, so
 * bundlers that move this module do not lose it). Without that build, or with NCMS_WORKERS=off,
 * jobs run in-process: the same functions, only on the main thread.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runFileJob, type FileJob, type FileJobResult } from './file-work.ts';

let script: string | null | undefined;
function workerScript(): string | null {
  if (script === undefined) {
    const path = join(dirname(createRequire(import.meta.url).resolve('@ncms/extracts/package.json')), 'dist', 'file-worker.js');
    script = process.env.NCMS_WORKERS !== 'off' && existsSync(path) ? path : null;
  }
  return script;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function startWorker(path: string): Worker {
  // A heap of its own: a workbook too large to hold ends this worker (its job refused), not the process.
  const w = new Worker(path, { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
  w.on('message', (m: { id: number; result?: unknown; error?: { name: string; message: string } }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
    else p.resolve(m.result);
    // An idle worker does not keep the process alive.
    if (!pending.size) w.unref();
  });
  w.on('error', (e) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker = undefined;
  });
  w.on('exit', () => {
    if (worker === w) worker = undefined;
  });
  return w;
}

export function offThread<J extends FileJob>(job: J): Promise<FileJobResult<J>> {
  const path = workerScript();
  if (!path) return runFileJob(job);
  worker ??= startWorker(path);
  worker.ref();
  const id = nextId++;
  const w = worker;
  return new Promise<FileJobResult<J>>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    w.postMessage({ id, job });
  });
}

/** Whether file jobs go to a worker thread, and its thread id (diagnostics, tests). */
export function fileWorker(): { running: boolean; threadId: number | null } {
  return { running: worker !== undefined, threadId: worker?.threadId ?? null };
}
