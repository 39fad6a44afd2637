import argon2 from 'argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { clientError } from '../../actors/runtime/client-error.js';
import { PASSWORD_MAX, passwordProblem } from './password-rule.js';

/** OWASP's Argon2id baseline (m = 19 MiB, t = 2, p = 1): about 25 ms per hash on these machines. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** 49 k passwords seen most often in breaches, lower-cased, from the zxcvbn-ts project. */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

const weak = (message: string) => clientError(400, 'WEAK_PASSWORD', message, { parameter: 'password' });

/**
 * More than any password the rule lets anyone choose (128 characters of up to 4 UTF-8 bytes each, in
 * UTF-16 units), so a password set under an older rule still signs in, yet Argon2 never gets a novel.
 */
const PASSWORD_SENT_MAX = 1024;

/**
 * A password as a request sends it (to sign in, to prove the current one, or as a new one): a string of a
 * bounded length, or a 400 naming `parameter`. Only ever hashed or compared with a hash, so any
 * character may be in it; which ones a new password may hold is the rule's business.
 */
export function passwordParam(value: unknown, parameter = 'password'): string {
  if (typeof value !== 'string')
    throw clientError(400, 'BAD_PARAMETER', 'a password is required, as a string', { parameter });
  if (value.length > PASSWORD_SENT_MAX)
    throw clientError(400, 'BAD_PARAMETER', `a password has at most ${PASSWORD_MAX} characters`, {
      parameter,
    });
  return value;
}

/**
 * Refuses a password a user should not choose, with a reason they can act on: the shared rule (the
 * dashboard shows the same sentences), then the common passwords. `email` is the address of the account
 * the password is for.
 */
export function checkPasswordPolicy(value: unknown, email: string): string {
  const password = passwordParam(value);
  const problem = passwordProblem(password, email);
  if (problem) throw weak(problem);
  if (COMMON.has(password.toLowerCase()))
    throw weak('This password is among the most common ones; choose another.');
  return password;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** A hash of nothing anyone knows, verified when an email has no account so both answers take as long. */
const DUMMY_HASH = hashPassword('energylive: no such account');

export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    await argon2.verify(await DUMMY_HASH, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** How account flows hash and check passwords: Argon2id, seen through this so tests can count hashes. */
export interface PasswordHashing {
  hash(password: string): Promise<string>;
  verify(hash: string | null | undefined, password: string): Promise<boolean>;
}

export const argon2Passwords: PasswordHashing = { hash: hashPassword, verify: verifyPassword };
