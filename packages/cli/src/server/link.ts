/**
 * Asking the running server instead of opening the database: the command's request goes to the
 * server's API, which answers with the same reads the command would have made itself (the
 * platform's reads), so the output is the same either way.
 */
import { UsageError } from '../cli-kit.ts';
import { processAlive, readServerState } from './state.ts';

/** The server answered with an error it explained (`{ error, code }`). */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

export interface ServerReply<T> {
  body: T;
  headers: Headers;
}

export class ServerLink {
  constructor(
    readonly url: string,
    readonly pid: number,
    private readonly token?: string,
  ) {}

  private async send(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('authorization', `Bearer ${this.token}`);
    const res = await fetch(new URL(path, this.url), { ...init, headers });
    if (res.ok) return res;
    const text = await res.text();
    let err: { error?: string; code?: string; param?: string } = {};
    try {
      err = JSON.parse(text) as typeof err;
    } catch {
      // not JSON: keep the status line
    }
    // A bad parameter is the caller's mistake, as it would have been without the server.
    if (res.status === 400 && err.error) throw new UsageError(err.error.split('\n').map((l) => (err.param ? `--${err.param} ${l}` : l)));
    throw new ServerError(res.status, err.code ?? String(res.status), `服务器 ${this.url} 答复 ${res.status}: ${err.error ?? text.slice(0, 200)}`);
  }

  /** A JSON answer to a GET (no body) or a POST (a JSON body). */
  async json<T>(path: string, body?: unknown): Promise<ServerReply<T>> {
    const res = await this.send(path, body === undefined ? { method: 'GET' } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { body: (await res.json()) as T, headers: res.headers };
  }

  /** A file answered to a GET (a report, say). */
  async bytes(path: string): Promise<Buffer> {
    return Buffer.from(await (await this.send(path, { method: 'GET' })).arrayBuffer());
  }

  /** A POST whose answer is a stream of JSON lines (progress, then the result). */
  async *lines<T>(path: string, body: unknown): AsyncGenerator<T> {
    const res = await this.send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) yield JSON.parse(line) as T;
      }
    }
    if (buffer.trim()) yield JSON.parse(buffer) as T;
  }
}

/**
 * The server that owns `db`, if one is running and answers; undefined otherwise (a note left by
 * a process that has ended is ignored).
 */
export async function findServer(db: string): Promise<ServerLink | undefined> {
  const state = await readServerState(db);
  if (!state || !processAlive(state.pid)) return undefined;
  try {
    // A live process the note names holds the database: it is worth waiting for on a busy
    // machine (without it the command could only fail, the file being locked), but not forever.
    await fetch(new URL('/healthz', state.url), { signal: AbortSignal.timeout(30_000) });
    return new ServerLink(state.url, state.pid, state.token);
  } catch {
    return undefined;
  }
}

/** Notes and columns travel in headers beside a JSON array. */
export function notesOf(headers: Headers): string[] {
  const v = headers.get('x-ncms-notes');
  return v ? (JSON.parse(decodeURIComponent(v)) as string[]) : [];
}

export function columnsOf(headers: Headers): string[] | undefined {
  return headers.get('x-ncms-columns')?.split(',');
}
