import { isIP } from 'node:net';
import type { Sql } from './database.js';

export interface RateRule {
  /** Hits allowed per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window ends. */
  retryAfter: number;
}

/**
 * The client address a limit is counted on. Behind a proxy it comes from X-Forwarded-For, which a client
 * may fill with anything up to the header size limit: what is not an IP address is counted together, as
 * `unknown`, rather than becoming a key too long for the index (or a way to get a fresh window per request).
 */
export function clientAddress(value: unknown): string {
  return typeof value === 'string' && isIP(value) !== 0 ? value : 'unknown';
}

/**
 * Fixed-window counters in the accounts database, so every gateway and accounts replica counts the
 * same attempts. One upsert per hit; windows that ended are reset in place.
 */
export async function hit(sql: Sql, key: string, rule: RateRule): Promise<RateDecision> {
  const [row] = await sql.query<{ hits: number; retry_after: number | string }>(
    `INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, now(), 1)
     ON CONFLICT (key) DO UPDATE SET
       hits = CASE WHEN rate_limits.window_start < now() - make_interval(secs => $2) THEN 1 ELSE rate_limits.hits + 1 END,
       window_start = CASE WHEN rate_limits.window_start < now() - make_interval(secs => $2) THEN now() ELSE rate_limits.window_start END
     RETURNING hits, ceil(extract(epoch FROM (window_start + make_interval(secs => $2) - now()))) AS retry_after`,
    [key, rule.windowSeconds],
  );
  return { allowed: (row?.hits ?? 0) <= rule.limit, retryAfter: Math.max(1, Number(row?.retry_after ?? 1)) };
}

/** Whether `key` is over its limit now, without counting a hit. */
export async function isLimited(sql: Sql, key: string, rule: RateRule): Promise<RateDecision> {
  const [row] = await sql.query<{ hits: number; retry_after: number | string }>(
    `SELECT hits, ceil(extract(epoch FROM (window_start + make_interval(secs => $2) - now()))) AS retry_after
     FROM rate_limits WHERE key = $1 AND window_start >= now() - make_interval(secs => $2)`,
    [key, rule.windowSeconds],
  );
  return {
    allowed: !row || row.hits < rule.limit,
    retryAfter: Math.max(1, Number(row?.retry_after ?? 1)),
  };
}

export async function clearLimit(sql: Sql, key: string): Promise<void> {
  await sql.query('DELETE FROM rate_limits WHERE key = $1', [key]);
}

export async function deleteEndedWindows(sql: Sql): Promise<void> {
  await sql.query("DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'");
}
