// One test configuration for the whole repository: a project per workspace, unit tests beside
// the code they test (src/**/*.test.ts), end-to-end tests that start the real `ncms` process in
// a workspace's test/ folder. `npx vitest run <file>` works from here for any test, and every
// test passes on its own. Tests start real processes and DuckDB files and wait for the conditions
// they mean (a server's readiness, a request's answer), never for a fixed time; the timeouts below
// only bound a hang, sized for the heaviest on a 2-core runner that another job shares (`npm test`
// runs every package's tests at once): minutes, not the 5 s default.
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/** Projects whose end-to-end tests share one small county per run (packages/cli/test/support.ts). */
const SHARED_COUNTY = new Set(['cli', 'dashboard']);
const WORKSPACES = ['packages/warehouse', 'packages/extracts', 'packages/rules', 'packages/sample-county', 'pipelines', 'packages/analytics', 'packages/lake', 'packages/access', 'packages/reports', 'packages/platform', 'packages/cli', 'apps/dashboard'];

export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    projects: WORKSPACES.map((dir) => {
      const name = dir.split('/').pop()!;
      const globalSetup = SHARED_COUNTY.has(name) ? [resolve(import.meta.dirname, 'packages/cli/test/fixtures.ts')] : [];
      return { extends: true, test: { name, root: resolve(import.meta.dirname, dir), include: ['src/**/*.test.ts', 'test/**/*.test.ts'], globalSetup } };
    }),
  },
});
