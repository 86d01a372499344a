// One lint configuration for every workspace: ESLint's and typescript-eslint's recommended
// rules, and the layering: arrows point from user to used, so no package imports one above it,
// the rules package does no I/O, and inside pipelines the stages run load → validate → extract.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Workspace packages each package may not import (those above it, or beside it in the wrong direction). */
const ABOVE = {
  'packages/rules': ['@ncms/extracts', '@ncms/warehouse', '@ncms/pipelines', '@ncms/analytics', '@ncms/platform', '@ncms/sample-county', '@ncms/cli', '@ncms/dashboard'],
  'packages/warehouse': ['@ncms/rules', '@ncms/extracts', '@ncms/pipelines', '@ncms/analytics', '@ncms/platform', '@ncms/sample-county', '@ncms/cli', '@ncms/dashboard'],
  'packages/extracts': ['@ncms/warehouse', '@ncms/pipelines', '@ncms/analytics', '@ncms/platform', '@ncms/sample-county', '@ncms/cli', '@ncms/dashboard'],
  pipelines: ['@ncms/analytics', '@ncms/platform', '@ncms/sample-county', '@ncms/cli', '@ncms/dashboard'],
  'packages/analytics': ['@ncms/platform', '@ncms/cli', '@ncms/dashboard'],
  'packages/lake': ['@ncms/platform', '@ncms/cli', '@ncms/dashboard'],
  'packages/access': ['@ncms/analytics', '@ncms/lake', '@ncms/reports', '@ncms/platform', '@ncms/cli', '@ncms/dashboard'],
  'packages/reports': ['@ncms/platform', '@ncms/cli', '@ncms/dashboard'],
  'packages/platform': ['@ncms/cli', '@ncms/dashboard'],
  'packages/sample-county': ['@ncms/pipelines', '@ncms/analytics', '@ncms/platform', '@ncms/cli', '@ncms/dashboard'],
  'apps/dashboard': ['@ncms/cli'],
};

const layering = Object.entries(ABOVE).map(([dir, banned]) => ({
  files: [`${dir}/src/**/*.ts`],
  ignores: ['**/*.test.ts', '**/test-support/**'],
  rules: {
    'no-restricted-imports': ['error', { paths: banned.map((name) => ({ name, message: `${dir} sits below ${name}: arrows point from user to used.` })) }],
  },
}));

/** Stages of pipelines/src that a stage may not import (later stages). */
const LATER = { extract: ['validate', 'load', 'schedule'], validate: ['load', 'schedule'], load: ['schedule'] };

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'bench/out/**', 'data/**', '**/.turbo/**', '**/dist/**', 'apps/dashboard/build/**', 'apps/dashboard/.svelte-kit/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { URL: 'readonly', process: 'readonly', console: 'readonly' } },
  },
  ...layering,
  {
    // The rules are pure: no file, process, network or database access (their tests may use DuckDB).
    files: ['packages/rules/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test-support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ABOVE['packages/rules'].map((name) => ({ name, message: 'the rules package knows no other package of the platform.' })),
          patterns: [
            { group: ['node:*', 'fs', 'fs/*', 'path', 'child_process', 'net', 'http', 'https', 'os', 'worker_threads'], message: 'the rules package does no I/O: it runs in the browser too.' },
            { group: ['@duckdb/*'], message: 'the rules package knows no database: it compiles SQL text.' },
          ],
        },
      ],
    },
  },
  ...Object.entries(LATER).map(([stage, later]) => ({
    files: [`pipelines/src/${stage}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ABOVE.pipelines.map((name) => ({ name, message: 'pipelines sits below it.' })),
          patterns: later.map((l) => ({ group: [`../${l}/*`, `../${l}`], message: `the ${stage} stage runs before ${l}: stages import only earlier stages (load → validate → extract).` })),
        },
      ],
    },
  })),
  {
    // Tests build deliberately malformed policies and rows.
    files: ['**/*.test.ts', '**/test/**/*.ts', '**/test-support/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
