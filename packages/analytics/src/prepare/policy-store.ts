/**
 * The county's policies (spec/policy.md): read from its policy folder (`policies/<year>.json`),
 * kept in the warehouse so the numbers say which policy they were computed under, and looked up
 * by year — a year without its own file uses the latest earlier one, and says so.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parsePolicy, policyForYear, PolicyError, type Policy } from '@ncms/rules';
import { query, transaction, type DuckDBConnection } from '@ncms/warehouse';

export interface PolicyFile {
  path: string;
  /** SHA-256 of the policy as validated (so reformatting a file changes nothing). */
  hash: string;
  policy: Policy;
}

/** Policy files that cannot be used: one line per problem, each naming its file and path. */
export class PolicyFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PolicyFileError';
  }
}

export const policyHash = (p: Policy): string => createHash('sha256').update(JSON.stringify(p)).digest('hex');

export async function readPolicyFile(path: string): Promise<PolicyFile> {
  const full = resolve(path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (e) {
    throw new PolicyFileError([`${full}: 无法读取政策文件 (cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  return parsePolicyText(text, full);
}

/** A policy given as text (an upload, a request body); `label` names it in every problem. */
export function parsePolicyText(text: string, label: string): PolicyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PolicyFileError([`${label}: 不是有效的 JSON (not valid JSON: ${(e as Error).message})`]);
  }
  return parsePolicyJson(json, label);
}

/** A policy already parsed from JSON, validated by the one schema. */
export function parsePolicyJson(json: unknown, label: string): PolicyFile {
  try {
    const policy = parsePolicy(json, label);
    return { path: label, hash: policyHash(policy), policy };
  } catch (e) {
    if (e instanceof PolicyError) throw new PolicyFileError(e.problems.map((p) => `${label}: ${p}`));
    throw e;
  }
}

/** Every policy file of a folder, validated; undefined when the folder does not exist. */
export async function readPolicyFolder(dir: string): Promise<PolicyFile[] | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const problems: string[] = [];
  const files: PolicyFile[] = [];
  for (const n of names) {
    try {
      files.push(await readPolicyFile(join(dir, n)));
    } catch (e) {
      if (!(e instanceof PolicyFileError)) throw e;
      problems.push(...e.problems);
    }
  }
  const years = new Map<number, string>();
  for (const f of files) {
    const other = years.get(f.policy.year);
    if (other) problems.push(`${f.path}: ${f.policy.year} 年已有政策文件 ${other} (two policy files for one year)`);
    years.set(f.policy.year, f.path);
  }
  if (problems.length) throw new PolicyFileError(problems);
  return files;
}

export interface StoredPolicy {
  year: number;
  hash: string;
  path: string;
  policy: Policy;
}

export async function storedPolicies(conn: DuckDBConnection): Promise<StoredPolicy[]> {
  const rows = await query<{ year: number; hash: string; path: string; policy: string }>(
    conn,
    'SELECT year, content_hash AS hash, source_path AS path, policy::VARCHAR AS policy FROM policies ORDER BY year',
  );
  return rows.map((r) => ({ year: r.year, hash: r.hash, path: r.path, policy: parsePolicy(JSON.parse(r.policy), r.path) }));
}

/** Makes the warehouse's policies those of `files`; true when anything changed. */
export async function syncPolicies(conn: DuckDBConnection, files: readonly PolicyFile[]): Promise<boolean> {
  const stored = await storedPolicies(conn);
  const key = (xs: { policy: Policy; hash: string }[]) => JSON.stringify(xs.map((x) => [x.policy.year, x.hash]).sort());
  if (key(stored) === key([...files])) return false;
  await transaction(conn, async () => {
    await conn.run('DELETE FROM policies');
    for (const f of files)
      await conn.run('INSERT INTO policies VALUES ($1, $2, $3, $4::JSON, now())', [f.policy.year, f.path, f.hash, JSON.stringify(f.policy)]);
  });
  return true;
}

/** The policy in force for each year among `policies`, with a note when it is an earlier year's. */
export interface PolicyBook {
  policies: readonly Policy[];
  forYear(year: number): { policy: Policy; hash: string; note?: string } | undefined;
}

export function policyBook(policies: readonly Policy[]): PolicyBook {
  return {
    policies,
    forYear(year) {
      const found = policyForYear(policies, year);
      return found && { ...found, hash: policyHash(found.policy) };
    },
  };
}
