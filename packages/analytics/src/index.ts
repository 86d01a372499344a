// Models → analytics tables → the one query API every reader calls (CLI, server, reports).
export { refreshAnalytics, refreshOn, planRefresh, resetAnalytics, ANALYTICS_TABLES, type RefreshOptions, type RefreshResult, type RefreshPlan } from './prepare/refresh.ts';
export {
  readPolicyFile, parsePolicyText, parsePolicyJson, readPolicyFolder, syncPolicies, storedPolicies, policyBook, policyHash, PolicyFileError,
  type PolicyFile, type PolicyBook, type StoredPolicy,
} from './prepare/policy-store.ts';
export { fingerprints, analyticsVersion } from './prepare/fingerprint.ts';
export {
  readIndicators, readIndicatorsArrow, indicatorsQuery, yearIndicatorsQuery, yearThresholds, readMonthly, readCampaign, monthlyQuery, campaignQuery, readTable, readTableArrow, readLorenz, selectColumns, parsePeriod, PREPARED,
  type IndicatorQuery, type IndicatorTable, type TableQuery, type LorenzPoint, type Source, type PeriodKind,
} from './query/indicators.ts';
export { readAudit, auditSummary, type AuditQuery, type AuditRow, type AuditSort, type AuditSummary } from './query/audit.ts';
export { readRuns, readBatches, readQuarantine, readFindings, type RunRow, type BatchRow, type QuarantineReason, type Finding } from './query/operations.ts';
export { dataVersion, versionNotes, type DataVersion } from './query/version.ts';
export { withSource, type SourceRequest } from './query/sources.ts';
export { QueryError, NotPreparedError, isAnalyticsMissing } from './query/errors.ts';
export { computeFresh, type PolicyFor } from './evaluate/fresh.ts';
export { computeYear, analyticsYears, censusYearFor, YEAR_OUTPUTS, type YearResult } from './evaluate/year.ts';
export { YEAR_COLUMNS, PERIOD_COLUMNS } from './evaluate/catalogue.ts';
export { loadModels, type SqlModel } from './models/model-files.ts';
export { simulate, type Simulation } from './simulate.ts';
export { compensateFile, type CompensateFileResult, type CompensatedClaim, type FileProblem } from './compensate-file.ts';
export { runModels, type CodeModel, type ModelRun, type StepTimer } from './models/run-models.ts';
export { policyModels, yearVars } from './models/code-models.ts';
export {
  readTopDiagnoses, readAuditByFacility, readHouseholdAccounts,
  type DiagnosisRow, type FacilityAuditRow, type HouseholdAccounts,
} from './query/breakdowns.ts';
export { readInsurerMonthly, INSURER_MONTH_COLUMNS } from './query/insurer.ts';
export { explore, checkExplore, EXPLORE_COLUMNS, EXPLORE_PERIODS, EXPLORE_MAX_ROWS, type ExploreQuery, type ExploreRow, type ExploreResult, type ExplorePeriod } from './query/explore.ts';
export { readDisclosure, type Disclosure, type DisclosureRow } from './query/disclosure.ts';
export { readAuditRules, readAuditFund, readAuditRuleFigures, AUDIT_RULE_COLUMNS, type AuditRuleRow, type AuditRulesQuery, type AuditFundRow, type AuditRuleFigure } from './query/audit-rules.ts';
export { recordReview, readReviewHistory, REVIEW_ACTIONS, type ReviewAction, type ReviewRequest, type ReviewStatus } from './review/audit-review.ts';
