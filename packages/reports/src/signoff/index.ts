/**
 * Sign-off of a report: review (已审核), withdraw, send (已上报, archiving the three files and the
 * document model), and what a sent report looks like beside today's data.
 */
import type { DuckDBConnection } from '@ncms/warehouse';
import { buildReport, renderReport, REPORT_FORMATS } from '../build.ts';
import type { ReportDating, ReportRequest } from '../gather.ts';
import type { Report } from '../model.ts';
import { reportDifferences, type FigureChange } from './differences.ts';
import { readArchived, readSignoffs, recordSignoff, type ReportKey } from './store.ts';
import { signoffState, type SignoffAction, type SignoffEvent, type SignoffState } from './state.ts';

export { signoffState, STATUS_LABEL, ACTION_LABEL, type SignoffAction, type SignoffEvent, type SignoffState, type SignoffStatus } from './state.ts';
export { reportDifferences, type FigureChange } from './differences.ts';
export { readArchived, readSignoffs, sha256, type ReportKey } from './store.ts';

/** The step may not be taken now; the message says why, in Chinese. */
export class SignoffRefused extends Error {}

/** Who signs: a name of 1–40 characters (until accounts exist, typed on the page). */
export function signerName(raw: unknown): string {
  const by = typeof raw === 'string' ? raw.trim() : '';
  if (!by) throw new SignoffRefused('请填写经办人姓名');
  if ([...by].length > 40) throw new SignoffRefused('经办人姓名不能超过 40 个字');
  return by;
}

/** The sign-off key of a report request (the county's report has no township). */
export const reportKey = (req: ReportRequest): ReportKey => ({ year: req.year, period: req.period ?? String(req.year), ...(req.township ? { township: req.township } : {}) });

/**
 * Takes one step for the report of `key`, if the rules allow it now (run inside the platform's
 * write so no load lands between the check and the record). Returns the new state. The signer is
 * the name written (经办人) and, when one signed in, the account: `王会计（office）`.
 */
export async function signReport(conn: DuckDBConnection, req: ReportRequest, action: SignoffAction, byRaw: unknown, account?: string, dating?: ReportDating): Promise<SignoffState> {
  const by = account ? `${signerName(byRaw)}（${account}）` : signerName(byRaw);
  const key = reportKey(req);
  const report = await buildReport(conn, req, new Date(), dating);
  const version = report.dataVersion;
  const state = signoffState(await readSignoffs(conn, key), version?.version ?? null);
  const may = state.may[action];
  if (may !== true) throw new SignoffRefused(may);
  const files: Record<string, Uint8Array> = {};
  if (action === 'submitted') {
    for (const f of REPORT_FORMATS) files[f] = await renderReport(report, f);
    files.json = new TextEncoder().encode(JSON.stringify(report));
  }
  await recordSignoff(conn, key, { action, by, dataVersion: version!.version, dataAsOf: version!.asOf }, files);
  return signoffState(await readSignoffs(conn, key), version!.version);
}

export interface SignoffView {
  events: SignoffEvent[];
  state: SignoffState;
  /** When the data changed since the last report sent: the figures that differ from it. */
  changes?: FigureChange[];
}

/** The history and state of the report `current` (made now), and what changed since it was sent. */
export async function signoffView(conn: DuckDBConnection, req: ReportRequest, current: Report): Promise<SignoffView> {
  const key = reportKey(req);
  const events = await readSignoffs(conn, key);
  const state = signoffState(events, current.dataVersion?.version ?? null);
  const sent = state.lastSubmitted;
  if (!sent || sent.dataVersion === current.dataVersion?.version) return { events, state };
  return { events, state, changes: reportDifferences((await archivedReport(conn, sent.id))!, current) };
}

/** The document model of a sent report, exactly as it was sent. */
export async function archivedReport(conn: DuckDBConnection, signoffId: number): Promise<Report | undefined> {
  const a = await readArchived(conn, signoffId, 'json');
  return a && (JSON.parse(a.bytes.toString('utf8')) as Report);
}
