/** The file worker thread's side of `off-loop.ts`: runs each job it is sent, answers with its result or error. */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { runFileJob, type FileJob } from './jobs';

// Below the server's own thread in the scheduler's order (Linux gives each thread its nice
// value): building a workbook waits for the pages and /healthz on a county's two cores.
try {
  setPriority(10);
} catch {
  // not permitted here: the worker runs at the server's priority
}

/** A file's bytes are moved, not copied, when they own their memory (a small Buffer shares Node's pool). */
function movable(result: unknown): ArrayBuffer[] {
  const bytes = result instanceof Uint8Array ? result : (result as { file?: unknown }).file;
  if (!(bytes instanceof Uint8Array)) return [];
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : [];
}

parentPort!.on('message', (m: { id: number; job: FileJob }) => {
  runFileJob(m.job).then(
    (result) => parentPort!.postMessage({ id: m.id, result }, movable(result)),
    (e: Error) => parentPort!.postMessage({ id: m.id, error: { name: e.name, message: e.message } }),
  );
});
