/**
 * The server's log: JSON lines (pino) on standard error — one per request (id, method, path,
 * status, milliseconds, account) and one per failure with its request id. Cookies and
 * authorization headers are never logged, and any ID number inside a message is masked.
 */
import pino from 'pino';
import { maskIdNumbers } from '@ncms/access';

// Synchronous writes: no worker thread, and nothing lost when the process stops. A line the
// destination refuses (a log file on a full disk) is dropped, as is a backlog past 1 MB: the
// server goes on answering.
const destination = pino.destination({ dest: 2, sync: true, maxLength: 1 << 20 });
destination.on('error', () => undefined);

export const log = pino(
  {
    name: 'ncms',
    level: process.env.NCMS_LOG_LEVEL ?? 'info',
    redact: { paths: ['headers.cookie', 'headers.authorization', '*.headers.cookie', '*.headers.authorization'], censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? maskIdNumbers(a) : a)) as Parameters<typeof method>);
      },
    },
    formatters: { level: (label) => ({ level: label }) },
  },
  destination,
);
