import type { Sql } from './database.js';
import type { Plan } from '../api/json-shapes.js';
export type { Plan };

/** Subscription states in which Stripe still expects payment for the current period. */
const PAYING = ['active', 'trialing', 'past_due'];

const DAY_MS = 86_400_000;

/** What a user may read now, from their Stripe subscription and any complimentary access. */
export async function planOf(sql: Sql, userId: string, now = new Date()): Promise<Plan> {
  const [subscription] = await sql.query<{
    status: string;
    current_period_end: Date | null;
    cancel_at_period_end: boolean;
  }>('SELECT status, current_period_end, cancel_at_period_end FROM subscriptions WHERE user_id = $1', [
    userId,
  ]);
  const [grant] = await sql.query<{ until: Date | null }>(
    'SELECT max(until) AS until FROM complimentary_access WHERE user_id = $1 AND revoked_at IS NULL AND until > $2',
    [userId, now],
  );
  const paidEnd =
    subscription && PAYING.includes(subscription.status) && subscription.current_period_end
      ? new Date(subscription.current_period_end)
      : null;
  const paid = paidEnd && paidEnd > now ? paidEnd : null;
  const granted = grant?.until ? new Date(grant.until) : null;
  const until = [paid, granted].reduce<Date | null>((a, b) => (b && (!a || b > a) ? b : a), null);
  return {
    status: paid
      ? (subscription?.status ?? 'none')
      : granted
        ? 'complimentary'
        : (subscription?.status ?? 'none'),
    entitled: until !== null,
    paidUntil: until?.toISOString() ?? null,
    daysLeft: until ? Math.ceil((until.getTime() - now.getTime()) / DAY_MS) : 0,
    cancelAtPeriodEnd: subscription?.cancel_at_period_end ?? false,
    complimentaryUntil: granted?.toISOString() ?? null,
  };
}
