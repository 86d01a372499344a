/**
 * Global setup of the projects whose end-to-end tests load the small county (cli, dashboard): a
 * folder for the fixtures their test files share within one run, removed when the run ends.
 * `sharedSmallCounty()` (support.ts) builds the county there once, for every worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type {} from './support.ts'; // the provided value's type

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'ncms-fixtures-'));
  project.provide('ncmsFixtures', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
