import { clientError } from '../../actors/runtime/client-error.js';
import type { Sql } from './database.js';
import { randomToken, tokenHash } from './secret-token.js';

const SIGNUP_LINK_HOURS = 24;
const RESET_LINK_HOURS = 1;

/**
 * A sign-up waits for its email to be confirmed, with the password hash chosen then: no account exists
 * before its owner proves the address, so nobody can claim someone else's email ahead of them.
 */
export async function createSignupLink(sql: Sql, email: string, passwordHash: string): Promise<string> {
  const token = randomToken(32);
  await sql.query(
    `INSERT INTO email_links (token_hash, purpose, email, password_hash, expires_at)
     VALUES ($1, 'signup', $2, $3, now() + make_interval(hours => $4))`,
    [tokenHash(token), email, passwordHash, SIGNUP_LINK_HOURS],
  );
  return token;
}

export async function createResetLink(sql: Sql, userId: string, email: string): Promise<string> {
  const token = randomToken(32);
  await sql.query(
    `INSERT INTO email_links (token_hash, purpose, email, user_id, expires_at)
     VALUES ($1, 'reset', $2, $3, now() + make_interval(hours => $4))`,
    [tokenHash(token), email, userId, RESET_LINK_HOURS],
  );
  return token;
}

export interface UsedLink {
  email: string;
  userId: string | null;
  passwordHash: string | null;
}

/** What `randomToken` makes, with room to spare; anything else cannot be a link of ours. */
const validToken = (token: unknown): token is string =>
  typeof token === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(token);

/**
 * The token a request says it followed a link with: a string, or a 400 naming `token`. Whether it is one
 * of ours, and still open, is for `findLink` and `useLink` to say.
 */
export function linkTokenParam(value: unknown): string {
  if (typeof value !== 'string')
    throw clientError(400, 'BAD_PARAMETER', 'expected the token of the link in the email', {
      parameter: 'token',
    });
  return value;
}

const usedLink = (row: {
  email: string;
  user_id: string | null;
  password_hash: string | null;
}): UsedLink => ({
  email: row.email,
  userId: row.user_id,
  passwordHash: row.password_hash,
});

/** What an open link carries, without spending it; a used, expired or unknown link gives null. */
export async function findLink(
  sql: Sql,
  token: unknown,
  purpose: 'signup' | 'reset',
): Promise<UsedLink | null> {
  if (!validToken(token)) return null;
  const [row] = await sql.query<{ email: string; user_id: string | null; password_hash: string | null }>(
    `SELECT email, user_id, password_hash FROM email_links
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
    [tokenHash(token), purpose],
  );
  return row ? usedLink(row) : null;
}

/** Marks a link used and returns what it carried; a used, expired or unknown link gives null. */
export async function useLink(
  sql: Sql,
  token: unknown,
  purpose: 'signup' | 'reset',
): Promise<UsedLink | null> {
  if (!validToken(token)) return null;
  const [row] = await sql.query<{ email: string; user_id: string | null; password_hash: string | null }>(
    `UPDATE email_links SET used_at = now()
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
     RETURNING email, user_id, password_hash`,
    [tokenHash(token), purpose],
  );
  return row ? usedLink(row) : null;
}

/** A password set by one reset link makes the user's other open reset links worthless. */
export async function expireResetLinks(sql: Sql, userId: string): Promise<void> {
  await sql.query(
    "UPDATE email_links SET used_at = now() WHERE user_id = $1 AND purpose = 'reset' AND used_at IS NULL",
    [userId],
  );
}

export async function deleteOldLinks(sql: Sql): Promise<void> {
  await sql.query("DELETE FROM email_links WHERE expires_at < now() - interval '7 days'");
}
