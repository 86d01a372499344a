/**
 * Hosting the built dashboard in this process: adapter-node's request handler behind our own
 * HTTP server, so the command knows when it listens (and writes the state file other commands
 * look for), and so SIGTERM/SIGINT stop taking requests, let a running load finish, close the
 * database and remove the note before the process exits 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import compression from 'compression';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { serverSlot } from '@ncms/platform';
import { DatabaseInUseError } from '@ncms/warehouse';
import { removeServerState, writeServerState } from './state.ts';
import { findServer } from './link.ts';
import { baseHeaders, publicOrigin, setBaseHeaders } from './public-origin.ts';

export interface HostOptions {
  db: string;
  config: string;
  policies?: string;
  port: number;
  host: string;
  schedules: boolean;
  /** `ncms demo`: visitors from this machine are signed in as a demo administrator. */
  demo?: boolean;
  /** `--origin https://…`: the public origin behind a TLS proxy (else the configuration's `server.origin`). */
  origin?: string;
}

export interface HostedServer {
  url: string;
  /** Resolves once the server has stopped (after a signal) and everything is closed. */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

/** A header only this process sets: the handler then builds origins as http://<Host header>. */
const PROTOCOL_HEADER = 'x-ncms-protocol';

function dashboardBuild(): string {
  const dir = dirname(createRequire(import.meta.url).resolve('@ncms/dashboard/package.json'));
  const handler = join(dir, 'build', 'handler.js');
  if (!existsSync(handler)) throw new Error(`仪表盘尚未构建：${handler} 不存在。请先运行 npm run build (the dashboard is not built)`);
  return handler;
}

export async function hostDashboard(opts: HostOptions): Promise<HostedServer> {
  const db = resolve(opts.db);
  const running = await findServer(db);
  if (running) throw new DatabaseInUseError(db, `ncms serve，${running.url}，PID ${running.pid}`);
  // A server whose output goes to a file on a full disk loses those lines, not its life (a
  // command's output is its result, so commands still fail on such an error: see main.ts).
  for (const stream of [process.stdout, process.stderr]) {
    stream.removeAllListeners('error');
    stream.on('error', () => undefined);
  }
  // The local command line's credential: in the state note (owner-only) and known to the app.
  const token = randomBytes(32).toString('base64url');
  // adapter-node builds every request's URL from ORIGIN when it is set (read when the handler loads).
  const origin = await publicOrigin(opts.origin, opts.config);
  if (origin) process.env.ORIGIN = origin;
  const headers = baseHeaders(origin);
  Object.assign(process.env, {
    NCMS_LOCAL_TOKEN: token,
    NCMS_DEMO: opts.demo ? '1' : '0',
    NCMS_DB: db,
    NCMS_CONFIG: resolve(opts.config),
    ...(opts.policies ? { NCMS_POLICIES: resolve(opts.policies) } : {}),
    NCMS_SCHEDULES: opts.schedules ? 'on' : 'off',
    PROTOCOL_HEADER,
    // Uploads of a county's extracts are large; the upload route streams them to disk.
    BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? 'Infinity',
  });
  // Importing the handler runs the app's init hook, which opens the database.
  const { handler } = (await import(pathToFileURL(dashboardBuild()).href)) as { handler: (req: unknown, res: unknown, next?: () => void) => void };
  const slot = serverSlot();
  if (slot.error) throw slot.error;

  // Pages and JSON go out gzipped (a phone on a county network feels every kilobyte); static
  // assets are precompressed by the build; progress streams are not buffered by a compressor.
  const gzip = compression({ filter: (req: IncomingMessage, res: ServerResponse) => !String(res.getHeader('content-type') ?? '').includes('ndjson') && compression.filter(req as never, res as never) });
  const server: Server = createServer((req, res) => {
    req.headers[PROTOCOL_HEADER] = 'http';
    setBaseHeaders(res, headers);
    gzip(req as never, res as never, () => handler(req, res));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'EADDRINUSE' ? new Error(`端口 ${opts.port} 已被占用，请换一个端口 (--port) (port in use)`) : e),
    );
    server.listen(opts.port, opts.host, ok);
  });
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${opts.port}`;
  await writeServerState(db, url, token);

  let stopping: Promise<void> | undefined;
  let done!: () => void;
  const stopped = new Promise<void>((r) => (done = r));
  const stop = () =>
    (stopping ??= (async () => {
      server.closeIdleConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await slot.shutdown?.();
      await removeServerState(db);
      done();
    })());
  // Requests in flight may finish; idle keep-alive connections are closed at once, busy ones after 30 s.
  const onSignal = () => {
    setTimeout(() => server.closeAllConnections(), 30_000).unref();
    void stop();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return { url, stopped, stop };
}
