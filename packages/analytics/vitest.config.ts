import { defineConfig } from 'vitest/config';

// Tests start real processes and DuckDB files; on a loaded 2-core machine 5 s is too little.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 60_000 } });
