import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parsePolicy, policyForYear, PolicyError, type Policy } from '@ncms/rules';
import { UsageError } from './cli-kit.ts';

/** Reads and validates a policy file; every problem becomes one usage line (exit 2). */
export async function readPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError([`--policy ${path}: 无法读取 (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError([`${path}: 不是有效的 JSON (${(e as Error).message})`]);
  }
  try {
    return parsePolicy(json, path);
  } catch (e) {
    if (e instanceof PolicyError) throw new UsageError(e.problems.map((p) => `${path}: ${p}`));
    throw e;
  }
}

/** Every policy file of a directory (`<year>.json` or any `*.json`), validated; missing directory → none. */
export async function readPolicyDir(dir: string): Promise<Policy[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return Promise.all(names.map((n) => readPolicyFile(join(dir, n))));
}

/**
 * The year's policy from --policy, and a lookup for other years from the policies directory
 * (household accounts carry balances from earlier years: spec/policy.md).
 */
export async function yearPolicies(policyPath: string, year: number, dir: string): Promise<{ policy: Policy; lookup: (y: number) => Policy | undefined }> {
  const policy = await readPolicyFile(resolve(policyPath));
  const others = await readPolicyDir(resolve(dir));
  return { policy, lookup: (y) => (y === year ? policy : policyForYear(others, y)?.policy) };
}
