export { Platform, type IngestOutcome, type RefreshProgress, type RefreshState } from './platform.ts';
export { loadPlatformConfig, parsePlatformConfig, parseOrigin, type PlatformConfig } from './config.ts';
export { yearSource, type SourceOptions, type YearSource } from './reads/source.ts';
export { indicatorTable, indicatorArrow, auditListing, simulation, SERIES, type SeriesKind, type IndicatorRequest, type AuditRequest, type AuditListing } from './reads/tables.ts';
export { ingestWithEvents, refreshWithEvents, type IngestEvent, type IngestResult, type RefreshReport } from './ingest-events.ts';
export { serverSlot, type ServerSlot } from './server-slot.ts';
export { backupDatabase, restoreDatabase, readBackupManifest, pruneBackups, BackupError, BACKUP_MANIFEST, type BackupManifest } from './backup.ts';
export { auditRulesListing, reviewFinding, type AuditRulesListing } from './reads/audit-rules.ts';
