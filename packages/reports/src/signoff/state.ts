/**
 * Where a report stands in its sign-off (审核 → 上报), from its history of events, and which
 * step the office may take next. Pure: the store reads the events, this decides.
 *
 * The rules, as a county office works: a report is reviewed (已审核) before it is sent
 * (已上报); a review may be withdrawn until the report is sent; a report is sent only from the
 * data version that was reviewed — if the data changed after the review, it is reviewed again.
 * After a report is sent, a later correction of the data lets it be reviewed and sent again;
 * every sent version stays in the archive.
 */

export type SignoffAction = 'reviewed' | 'withdrawn' | 'submitted';

export interface SignoffEvent {
  id: number;
  action: SignoffAction;
  by: string;
  /** `2026-12-01 09:30:00`, Beijing time. */
  at: string;
  dataVersion: string;
  dataAsOf: string;
  /** Archived files of a submission: format → SHA-256. */
  files?: Record<string, string>;
}

export type SignoffStatus = 'draft' | 'reviewed' | 'submitted';

export const STATUS_LABEL: Record<SignoffStatus, string> = { draft: '未审核', reviewed: '已审核', submitted: '已上报' };
export const ACTION_LABEL: Record<SignoffAction, string> = { reviewed: '审核', withdrawn: '撤销审核', submitted: '上报' };

export interface SignoffState {
  status: SignoffStatus;
  /** The event that set the status (absent for a draft). */
  last?: SignoffEvent;
  /** The latest submission, if any (its archive is what was sent upward). */
  lastSubmitted?: SignoffEvent;
  /** The data changed since the last review or submission. */
  dataChanged: boolean;
  /** The step the office may take now, or why it may not. */
  may: Record<SignoffAction, true | string>;
}

/** `events` oldest first; `current` is the data version the report would be made from now. */
export function signoffState(events: SignoffEvent[], current: string | null): SignoffState {
  const last = events.at(-1);
  const lastSubmitted = events.findLast((e) => e.action === 'submitted');
  const status: SignoffStatus = !last || last.action === 'withdrawn' ? 'draft' : last.action;
  // The version the office last put its name to: the standing review or submission, else the
  // last report sent (a withdrawn review is no longer anyone's word on the data).
  const signed = status === 'draft' ? lastSubmitted?.dataVersion : last!.dataVersion;
  const dataChanged = current !== null && signed !== undefined && signed !== current;
  const noData = '本期没有数据，不能审核或上报';
  const may: SignoffState['may'] = {
    reviewed:
      current === null ? noData
      : status === 'reviewed' && !dataChanged ? '本报告已审核'
      : status === 'submitted' && !dataChanged ? '本报告已按当前数据上报'
      : true,
    withdrawn: status === 'reviewed' ? true : status === 'submitted' ? '已上报的报告不能撤销审核' : '本报告尚未审核',
    submitted:
      current === null ? noData
      : status === 'reviewed' && !dataChanged ? true
      : status === 'reviewed' ? '审核后数据已更新，请重新审核后再上报'
      : status === 'submitted' && !dataChanged ? '本报告已上报'
      : '请先审核，再上报',
  };
  return { status, ...(last && status !== 'draft' ? { last } : {}), ...(lastSubmitted ? { lastSubmitted } : {}), dataChanged, may };
}
