// One test configuration for the whole repository: a project per workspace, unit tests beside
// the code they test (src/**/*.test.ts), end-to-end tests that start the real `ncms` process in
// a workspace's test/ folder. `npx vitest run <file>` works from here for any test, and every
// test passes on its own. Tests start real processes and DuckDB files: on a loaded 2-core
// machine 5 s is too little.
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const WORKSPACES = ['packages/warehouse', 'packages/extracts', 'packages/rules', 'packages/sample-county', 'pipelines', 'packages/analytics', 'packages/lake', 'packages/access', 'packages/reports', 'packages/platform', 'packages/cli', 'apps/dashboard'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    projects: WORKSPACES.map((dir) => ({
      extends: true,
      test: { name: dir.split('/').pop()!, root: resolve(import.meta.dirname, dir), include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
    })),
  },
});
