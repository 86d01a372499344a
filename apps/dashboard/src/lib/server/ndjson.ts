/**
 * A long job answered as JSON lines: each progress event as it happens, then `{ kind: 'done', … }`
 * or `{ kind: 'error', error }`. The job runs to its end even if the caller goes away (a load is
 * never cut in half because a browser tab closed).
 */
export function ndjsonJob<E, R>(job: (emit: (event: E) => void) => Promise<R>, onError: (e: Error) => string): Response {
  const encoder = new TextEncoder();
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (line: unknown) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(JSON.stringify(line) + '\n'));
        } catch {
          open = false;
        }
      };
      void job(send)
        .then((result) => send({ kind: 'done', result }))
        .catch((e: Error) => send({ kind: 'error', error: onError(e) }))
        .finally(() => {
          if (open) controller.close();
          open = false;
        });
    },
    cancel() {
      open = false;
    },
  });
  return new Response(stream, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
}
