export { computeExpected, type PolicyFor } from './expected.ts';
export { audit, type AuditRow, type AuditSummary } from './audit.ts';
export { simulate, type Simulation } from './simulate.ts';
