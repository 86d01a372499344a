/** A `--policy FILE` argument: read and validated here (a bad file exits 2), sent as text to a server. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parsePolicyText, PolicyFileError, type PolicyFile } from '@ncms/analytics';
import { UsageError } from './cli-kit.ts';

export interface PolicyArg {
  file: PolicyFile;
  /** What a server is sent: the text as written and its path, validated again there. */
  body: { policy_text: string; policy_path: string };
}

export async function readPolicyArg(path: string): Promise<PolicyArg>;
export async function readPolicyArg(path: string | undefined): Promise<PolicyArg | undefined>;
export async function readPolicyArg(path: string | undefined): Promise<PolicyArg | undefined> {
  if (path === undefined) return undefined;
  const full = resolve(path);
  try {
    const text = await readFile(full, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new PolicyFileError([`${full}: 无法读取政策文件 (cannot read: ${e.code ?? e.message})`]);
    });
    return { file: parsePolicyText(text, full), body: { policy_text: text, policy_path: full } };
  } catch (e) {
    if (e instanceof PolicyFileError) throw new UsageError(e.problems);
    throw e;
  }
}
