export { computeExpected, compensationInputSql, type PolicyFor } from './expected.ts';
export { audit, type AuditRow, type AuditSummary } from './audit.ts';
export { simulate, type Simulation } from './simulate.ts';
export { computeIndicators, factsSql, lorenzSeries, GRAIN_LENGTH, type IndicatorTable, type IndicatorOptions } from './indicators.ts';
export { monthlyIndicators, campaignProgress } from './series.ts';
