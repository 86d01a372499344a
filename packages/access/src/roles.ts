/**
 * Who may do what: the five roles of a county office and what each may see. Pure, so the
 * browser can show a user's role and the server can decide with the same table.
 */
export const ROLES = [
  { code: 'admin', zh: '管理员', en: 'administrator' },
  { code: 'leader', zh: '县领导', en: 'county leader' },
  { code: 'township', zh: '乡镇经办', en: 'township officer' },
  { code: 'analyst', zh: '分析员', en: 'analyst' },
  { code: 'auditor', zh: '审核员', en: 'auditor' },
] as const;
export type Role = (typeof ROLES)[number]['code'];
export const ROLE_CODES: readonly Role[] = ROLES.map((r) => r.code);
export const roleZh = (r: string): string => ROLES.find((x) => x.code === r)?.zh ?? r;

/** The signed-in party of a request. */
export interface Principal {
  username: string;
  role: Role;
  /** A township officer's township (9-digit code); the others see the whole county. */
  township?: string;
  /** How the request was authenticated: a browser session, the local command line, the demo. */
  via: 'session' | 'cli' | 'demo';
  mustChange?: boolean;
}

/** What a role may do beyond reading its own scope's aggregate figures. */
export const CAPABILITIES = {
  /** Names, ID numbers and bills unmasked (the audit's claim list). */
  personalData: ['admin', 'auditor'],
  /** The SQL console and its exports (over the masked snapshot). */
  sqlConsole: ['admin', 'analyst'],
  /** Load files, refresh, upload, export the lake, manage accounts, read the audit log. */
  administer: ['admin'],
  /** Review (复核) the audit rules' findings: confirm, dismiss, record recoveries. */
  reviewFindings: ['admin', 'auditor'],
  /** Review and send reports upward (a township officer: their township's reports). */
  signOff: ['admin', 'leader', 'township'],
} as const satisfies Record<string, readonly Role[]>;
export type Capability = keyof typeof CAPABILITIES;

export function can(p: Pick<Principal, 'role'> | undefined, what: Capability): boolean {
  return !!p && (CAPABILITIES[what] as readonly Role[]).includes(p.role);
}

/** A new password's least length (checked on the server; shown on the page). */
export const MIN_PASSWORD = 12;
