/**
 * Building files off the event loop: one worker thread (`build/file-worker.js`, bundled with the
 * dashboard by build-worker.mjs, found from the package's folder) runs the jobs of `jobs.ts`, so
 * a 20,000-row workbook or a 50 MB analyst result being written leaves `/healthz` and every page
 * answering. The worker has a heap limit of its own: a job past it ends the worker (and that
 * job, with a Chinese message), not the server. Without the build (the dev server) jobs run
 * in-process.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runFileJob, type FileJob, type FileJobResult } from './jobs';

/** The worker's JavaScript heap: several times the largest job (a 50 MB answer as a workbook). */
export const FILE_WORKER_HEAP_MB = 1024;

/** A job the worker could not finish because it ran out of memory. */
export class FileWorkError extends Error {}

let script: string | null | undefined;
function workerScript(): string | null {
  if (script === undefined) {
    const path = join(dirname(createRequire(import.meta.url).resolve('@ncms/dashboard/package.json')), 'build', 'file-worker.js');
    script = existsSync(path) ? path : null;
  }
  return script;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function startWorker(path: string): Worker {
  const w = new Worker(path, { resourceLimits: { maxOldGenerationSizeMb: FILE_WORKER_HEAP_MB } });
  w.on('message', (m: { id: number; result?: unknown; error?: { name: string; message: string } }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
    else p.resolve(m.result);
    // An idle worker does not keep the process alive.
    if (!pending.size) w.unref();
  });
  const fail = (e: Error) => {
    if (worker === w) worker = undefined;
    const memory = (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
    const why = memory ? `生成文件所需内存超过 ${FILE_WORKER_HEAP_MB} MB 的上限，已中止。请缩小范围（按年份、乡镇筛选）后再导出。(out of memory)` : `生成文件失败，请重试 (${e.message})`;
    for (const p of pending.values()) p.reject(new FileWorkError(why));
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => {
    if (pending.size) fail(new Error(`worker exited ${code}`));
    if (worker === w) worker = undefined;
  });
  return w;
}

export function offLoop<J extends FileJob>(job: J): Promise<FileJobResult<J>> {
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

/** The worker's thread id while one runs (tests: the work is not on the main thread). */
export const fileWorkerThread = (): number | null => worker?.threadId ?? null;
