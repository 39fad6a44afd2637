import crypto from 'node:crypto';
import type { Sql } from './database.js';
import { randomToken, tokenHash } from './secret-token.js';

export interface SessionTimeouts {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however busy. */
  maxMs: number;
}

/** What the browser gets: the cookie value, and the token its scripts send back on state changes. */
export interface NewSession {
  id: string;
  csrfToken: string;
  maxAgeMs: number;
}

export interface ActiveSession {
  userId: string;
  email: string;
  csrfToken: string;
}

/** Writing last_seen_at on every request would make each read a write; a minute's precision is enough. */
const TOUCH_EVERY_MS = 60_000;

/** A new session with a fresh random id (256 bits), so an id known before sign-in is worth nothing after. */
export async function createSession(
  sql: Sql,
  userId: string,
  timeouts: SessionTimeouts,
): Promise<NewSession> {
  const id = randomToken(32);
  const csrfToken = randomToken(32);
  await sql.query('INSERT INTO sessions (id_hash, user_id, csrf_token) VALUES ($1, $2, $3)', [
    tokenHash(id),
    userId,
    csrfToken,
  ]);
  return { id, csrfToken, maxAgeMs: timeouts.maxMs };
}

/** The live session behind a cookie value, or null; an expired one is deleted on the way. */
export async function findSession(
  sql: Sql,
  id: string,
  timeouts: SessionTimeouts,
  now = new Date(),
): Promise<ActiveSession | null> {
  if (id.length < 16 || id.length > 128) return null;
  const hash = tokenHash(id);
  const [row] = await sql.query<{
    user_id: string;
    email: string;
    csrf_token: string;
    created_at: Date;
    last_seen_at: Date;
  }>(
    'SELECT s.user_id, u.email, s.csrf_token, s.created_at, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1',
    [hash],
  );
  if (!row) return null;
  const idle = now.getTime() - new Date(row.last_seen_at).getTime();
  const age = now.getTime() - new Date(row.created_at).getTime();
  if (idle > timeouts.idleMs || age > timeouts.maxMs) {
    await sql.query('DELETE FROM sessions WHERE id_hash = $1', [hash]);
    return null;
  }
  if (idle > TOUCH_EVERY_MS)
    await sql.query('UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1', [hash, now]);
  return { userId: row.user_id, email: row.email, csrfToken: row.csrf_token };
}

/** Ends a session; the user it belonged to, or null when there was none. */
export async function endSession(sql: Sql, id: string): Promise<string | null> {
  const [row] = await sql.query<{ user_id: string }>(
    'DELETE FROM sessions WHERE id_hash = $1 RETURNING user_id',
    [tokenHash(id)],
  );
  return row?.user_id ?? null;
}

/** Ends every session of a user (password changed or reset, access revoked), except `keepId` if given. */
export async function endUserSessions(sql: Sql, userId: string, keepId?: string): Promise<void> {
  await sql.query('DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2', [
    userId,
    keepId ? tokenHash(keepId) : Buffer.alloc(0),
  ]);
}

export async function deleteExpiredSessions(sql: Sql, timeouts: SessionTimeouts): Promise<void> {
  await sql.query(
    `DELETE FROM sessions WHERE last_seen_at < now() - make_interval(secs => $1) OR created_at < now() - make_interval(secs => $2)`,
    [timeouts.idleMs / 1000, timeouts.maxMs / 1000],
  );
}

/** Compares a CSRF token sent by a browser with the session's in constant time. */
export function csrfTokenMatches(expected: string, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
