import { clientError } from '../../actors/runtime/client-error.js';
import type { Sql } from './database.js';
import { printableText } from './printable-text.js';
import { randomToken, tokenHash } from './secret-token.js';
import type { ApiTokenInfo } from '../api/json-shapes.js';
export type { ApiTokenInfo };

/** Recognisable in logs and by secret scanners, like Stripe's `sk_` or GitHub's `ghp_`. */
export const TOKEN_PREFIX = 'elk_';
const MAX_TOKENS_PER_USER = 25;
export const TOKEN_NAME_MAX = 100;

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
}

const info = (row: TokenRow): ApiTokenInfo => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: new Date(row.created_at).toISOString(),
  lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
});

/** Creates a token; the secret is in this answer only, the database keeps its hash. */
export async function createApiToken(
  sql: Sql,
  userId: string,
  name: unknown,
): Promise<ApiTokenInfo & { token: string }> {
  const label = printableText(name, {
    parameter: 'name',
    max: TOKEN_NAME_MAX,
    rule: `a token needs a name of 1 to ${TOKEN_NAME_MAX} printable characters`,
  });
  if ((await activeTokenCount(sql, userId)) >= MAX_TOKENS_PER_USER)
    throw clientError(
      409,
      'TOO_MANY_TOKENS',
      `revoke a token first: at most ${MAX_TOKENS_PER_USER} are active`,
    );
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const [row] = await sql.query<TokenRow>(
    `INSERT INTO api_tokens (user_id, name, token_hash, prefix) VALUES ($1, $2, $3, $4)
     RETURNING id, name, prefix, created_at, last_used_at`,
    [userId, label, tokenHash(token), token.slice(0, 12)],
  );
  if (!row) throw new Error('token insert returned nothing');
  return { ...info(row), token };
}

export async function listApiTokens(sql: Sql, userId: string): Promise<ApiTokenInfo[]> {
  const rows = await sql.query<TokenRow>(
    'SELECT id, name, prefix, created_at, last_used_at FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at',
    [userId],
  );
  return rows.map(info);
}

export async function revokeApiToken(sql: Sql, userId: string, id: unknown): Promise<void> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (typeof id !== 'string' || !uuid.test(id))
    throw clientError(400, 'BAD_PARAMETER', 'expected a token id', { parameter: 'id' });
  const rows = await sql.query(
    'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id',
    [id, userId],
  );
  if (rows.length === 0) throw clientError(404, 'NOT_FOUND', 'no such token');
}

/** Revokes every active token of a user (a password reset, or the owner's "revoke all"); how many. */
export async function revokeAllApiTokens(sql: Sql, userId: string): Promise<number> {
  const rows = await sql.query(
    'UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id',
    [userId],
  );
  return rows.length;
}

export async function activeTokenCount(sql: Sql, userId: string): Promise<number> {
  const [row] = await sql.query<{ n: number | string }>(
    'SELECT count(*) AS n FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL',
    [userId],
  );
  return Number(row?.n ?? 0);
}

/** The user a bearer token belongs to, or null for an unknown or revoked token. */
export async function tokenUser(sql: Sql, token: string): Promise<{ userId: string; email: string } | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const [row] = await sql.query<{ user_id: string; email: string; id: string; last_used_at: Date | null }>(
    `SELECT t.id, t.user_id, u.email, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
    [tokenHash(token)],
  );
  if (!row) return null;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000)
    await sql.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [row.id]);
  return { userId: row.user_id, email: row.email };
}
