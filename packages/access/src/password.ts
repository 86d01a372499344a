/**
 * Passwords: argon2id (`@node-rs/argon2`, prebuilt binaries) with OWASP's memory-hard settings,
 * the rules a new password must meet, and one-time passwords for a first administrator.
 */
import { randomInt } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { MIN_PASSWORD } from './roles.ts';

// OWASP's recommended minimum for argon2id: 19 MiB, 2 passes, 1 lane. (Algorithm is a const
// enum the compiler may not inline here: Argon2id is 2.)
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };


export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// zxcvbn's lists of common passwords, words and keyboard patterns (@zxcvbn-ts/language-common):
// built once, on the first password checked (the dictionaries take a moment to index).
let estimator: ZxcvbnFactory | undefined;
const strength = (password: string, username: string) => (estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs })).check(password, [username]);

/**
 * The lowest zxcvbn score accepted: 3 means about 10⁸ guesses or more. Below it the password is a
 * common password, a word with digits added, a keyboard row or a repeated pattern
 * (`password1234`, `123456789012`, `qwertyuiop123`).
 */
export const MIN_STRENGTH = 3;

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, username: string): string | undefined {
  if ([...password].length < MIN_PASSWORD) return `密码至少 ${MIN_PASSWORD} 个字符`;
  if (password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  if (/^(.)\1+$/.test(password)) return '密码不能由同一个字符重复组成';
  if (strength(password, username).score < MIN_STRENGTH) return '密码过于常见或容易猜到（常用密码、单词加数字、键盘顺序或重复），请换一个更长、不常见的密码';
  return undefined;
}

/** A one-time password: 16 characters from an alphabet without look-alikes (0/O, 1/l). */
export function oneTimePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
