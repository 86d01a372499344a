/**
 * The event loop's delay, measured inside the server (perf_hooks.monitorEventLoopDelay) and
 * logged once a second when NCMS_LOOP_DELAY_LOG is set: how long a request waited for the loop
 * while the heaviest requests ran (the isolation test and `npm run bench -- --only heavy` read
 * these lines from the server's output). Off by default; nothing of it is served over HTTP.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { log } from './log';

export const LOOP_DELAY_MESSAGE = 'event-loop delay';

export function startLoopDelayLog(): void {
  if (!process.env.NCMS_LOOP_DELAY_LOG) return;
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  setInterval(() => {
    if (h.count > 0) log.info({ loopDelay: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), samples: h.count } }, LOOP_DELAY_MESSAGE);
    h.reset();
  }, 1000).unref();
}
