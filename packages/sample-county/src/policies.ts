import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageFile } from '@ncms/warehouse';

/** The example policies shipped with the sample county. */
export const POLICY_DIR = packageFile('@ncms/sample-county', 'policies');

/** Copies the example policies to `<dir>/<year>.json` (the platform's layout), keeping files already there. */
export async function writeExamplePolicies(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const f of (await readdir(POLICY_DIR)).filter((x) => x.endsWith('.json')).sort()) {
    const { year } = JSON.parse(await readFile(join(POLICY_DIR, f), 'utf8')) as { year: number };
    const target = join(dir, `${year}.json`);
    if (existsSync(target)) continue;
    await copyFile(join(POLICY_DIR, f), target);
    written.push(target);
  }
  return written;
}
