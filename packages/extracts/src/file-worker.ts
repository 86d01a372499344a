/** The worker thread's side of `off-thread.ts`: runs each file job it is sent and answers with its result or error. */
import { parentPort } from 'node:worker_threads';
import { runFileJob, type FileJob } from './file-work.ts';

parentPort!.on('message', (m: { id: number; job: FileJob }) => {
  runFileJob(m.job).then(
    (result) => parentPort!.postMessage({ id: m.id, result }),
    (e: Error) => parentPort!.postMessage({ id: m.id, error: { name: e.name, message: e.message } }),
  );
});
