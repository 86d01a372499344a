// Accounts, roles and scope, sign-in sessions and throttling, and the audit log.
export * from './roles.ts';
export { OutOfScopeError, scopeUnits, maskIdNumbers, type UnitParams } from './scope.ts';
export { hashPassword, verifyPassword, passwordProblem, oneTimePassword } from './password.ts';
export { addUser, listUsers, countUsers, setDisabled, setPassword, checkSignIn, currentUser, AccountError, type UserRow } from './users.ts';
export { SessionStore, IDLE_MS, ABSOLUTE_MS } from './sessions.ts';
export { SignInThrottle, PER_ACCOUNT, PER_ADDRESS, WINDOW_MS } from './throttle.ts';
export { logEvent, readAuditLog, AUDIT_ACTIONS, type AuditAction, type AuditEntry, type AuditLogRow } from './audit-log.ts';
