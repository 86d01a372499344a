export { computeExpected, type PolicyFor } from './expected.ts';
export { audit, type AuditRow, type AuditSummary } from './audit.ts';
