/**
 * The analyst console's sandbox: one child process per server (kept on `globalThis` so a
 * dev-server reload does not start another), reading the platform's masked analyst snapshot and
 * told to re-read it when a load or refresh has changed it.
 */
import { AnalystSandbox } from '@ncms/lake';
import type { Platform } from '@ncms/platform';

const KEY = Symbol.for('ncms.analyst.sandbox');
type Slot = { sandbox?: AnalystSandbox; generation?: number };
const slot = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as Slot;

export async function analystSandbox(platform: Platform): Promise<AnalystSandbox> {
  const snap = await platform.analystSnapshot();
  if (!slot.sandbox) {
    slot.sandbox = new AnalystSandbox({ dir: snap.dir, timeoutMs: Number(process.env.NCMS_QUERY_TIMEOUT_MS ?? 30_000) });
    slot.generation = snap.generation;
    process.once('sveltekit:shutdown', () => slot.sandbox?.close());
  } else if (slot.generation !== snap.generation) {
    await slot.sandbox.reload();
    slot.generation = snap.generation;
  }
  return slot.sandbox;
}
