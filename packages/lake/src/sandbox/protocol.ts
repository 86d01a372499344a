/** Messages between the server and its analyst-SQL child process. */
import type { Cell, Column } from '@ncms/warehouse';

export interface SandboxSettings {
  /** The analyst snapshot (a masked lake export): the only folder the child may read. */
  dir: string;
  memoryLimit: string;
  threads: number;
  /** The child interrupts a query after this long. */
  timeoutMs: number;
}

export type SandboxRequest =
  | { id: number; kind: 'init'; settings: SandboxSettings }
  | { id: number; kind: 'reload' }
  | { id: number; kind: 'query'; sql: string; limit: number; maxBytes: number };

export type RefusalCode = 'refused' | 'timeout' | 'sql_error' | 'too_large';

export interface QueryAnswer {
  columns: Column[];
  rows: Cell[][];
  truncated: boolean;
  elapsed_ms: number;
  /** Why the rows stop short when it is the byte cap, not the row limit (Chinese, for the console). */
  note?: string;
}

export type SandboxReply =
  /**
   * An answer's JSON comes in parts of at most ANSWER_PART characters (`more` on all but the
   * last): no one message, and so no one pause of the server's event loop to read it, is large.
   */
  | { id: number; ok: true; json?: string; more?: boolean; tables?: string[] }
  | { id: number; ok: false; code: RefusalCode; message: string };

/** Characters of an answer's JSON per message. */
export const ANSWER_PART = 1 << 20;
