export { Platform, type IngestOutcome, type RefreshProgress } from './platform.ts';
export { loadPlatformConfig, parsePlatformConfig, type PlatformConfig } from './config.ts';
