import { readFile } from 'node:fs/promises';
import { parsePolicy, PolicyError, type Policy } from '@ncms/rules';
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
