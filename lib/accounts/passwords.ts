import argon2 from 'argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { clientError } from '../../actors/runtime/client-error.js';
import { passwordProblem } from './password-rule.js';

/** OWASP's Argon2id baseline (m = 19 MiB, t = 2, p = 1): about 25 ms per hash on these machines. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** 49 k passwords seen most often in breaches, lower-cased, from the zxcvbn-ts project. */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

const weak = (message: string) => clientError(400, 'WEAK_PASSWORD', message, { parameter: 'password' });

/**
 * Refuses a password a user should not choose, with a reason they can act on: the shared rule (the
 * dashboard shows the same sentences), then the common passwords. `email` is the address of the account
 * the password is for.
 */
export function checkPasswordPolicy(password: unknown, email: string): string {
  if (typeof password !== 'string')
    throw clientError(400, 'BAD_PARAMETER', 'a password is required', { parameter: 'password' });
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
