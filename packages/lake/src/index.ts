// The lake export (Hive-partitioned Parquet for other engines and the analyst snapshot) and the
// analyst's sandboxed SQL over it.
export { exportLake, type ExportOptions, type ExportResult } from './export/export.ts';
export { LAKE_TABLES, type LakeTable, type LakeGroup } from './export/tables.ts';
export { readManifest, MANIFEST_FILE, type LakeManifest, type LakeManifestTable, type LakePartition, type LakeColumn } from './export/manifest.ts';
export { AnalystSandbox, SandboxError, SHOWN_ROWS, EXPORTED_ROWS, ANSWER_BYTES } from './sandbox/sandbox.ts';
export type { QueryAnswer, RefusalCode } from './sandbox/protocol.ts';
export { snapshotViews } from './sandbox/views.ts';
export { readSavedQueries, saveQuery, deleteSavedQuery, SavedQueryError, type SavedQuery, type QueryOwner } from './saved-queries.ts';
export { describeColumn } from './export/descriptions.ts';
