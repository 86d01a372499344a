export { ingest, currentFindings, markInterruptedRuns, type IngestSummary, type IngestOptions, type KindTotals, type Findings } from './ingest.ts';
export { loadFile, type FileResult, type FileStatus, type LoadOptions, type LoadPhase } from './load/load-file.ts';
export { discover, byCodePoint, type SourceFile } from './extract/discover.ts';
export { readExtract } from './validate/read-checked.ts';
export { compileKind, compileColumn, sqlTypeOf } from './validate/compile.ts';
export * from './schedule/scheduler.ts';
export * from './schedule/config.ts';
