import { clientError } from '../../actors/runtime/client-error.js';
import type { Sql } from './database.js';
import { parseEmail } from './email-address.js';
import { planOf, type Plan } from './plan.js';
import { printableText } from './printable-text.js';
import { userByEmail } from './users.js';

/** Room for a sentence in `accounts list`; operators' notes, not essays. */
const REASON_MAX = 200;

export interface AccountSummary {
  email: string;
  createdAt: string;
  signIn: string[];
  plan: Plan;
}

/** Every account with how it signs in and its plan, oldest first: the operator's `accounts list`. */
export async function listAccounts(sql: Sql): Promise<AccountSummary[]> {
  const users = await sql.query<{
    id: string;
    email: string;
    created_at: Date;
    password: boolean;
    google: boolean;
  }>(
    'SELECT id, email, created_at, password_hash IS NOT NULL AS password, google_sub IS NOT NULL AS google FROM users ORDER BY created_at, email',
  );
  const out: AccountSummary[] = [];
  for (const u of users) {
    out.push({
      email: u.email,
      createdAt: new Date(u.created_at).toISOString(),
      signIn: [...(u.password ? ['password'] : []), ...(u.google ? ['google'] : [])],
      plan: await planOf(sql, u.id),
    });
  }
  return out;
}

async function accountId(sql: Sql, address: unknown): Promise<string> {
  const email = parseEmail(address);
  const user = await userByEmail(sql, email);
  if (!user) throw clientError(404, 'NOT_FOUND', `no account with the email ${email}`);
  return user.id;
}

/**
 * Complimentary access for `days` days, recorded apart from Stripe with its reason; granted again, it
 * extends from the end of the running grant.
 */
export async function grantAccess(sql: Sql, email: unknown, days: number, reason: unknown): Promise<Plan> {
  const why = printableText(reason, {
    parameter: 'reason',
    max: REASON_MAX,
    rule: `a reason of 1 to ${REASON_MAX} printable characters`,
  });
  if (!Number.isInteger(days) || days < 1 || days > 3660)
    throw clientError(400, 'BAD_PARAMETER', 'days must be a whole number from 1 to 3660', {
      parameter: 'days',
    });
  const id = await accountId(sql, email);
  await sql.query(
    `INSERT INTO complimentary_access (user_id, until, reason)
     SELECT $1, greatest(now(), coalesce(max(until), now())) + make_interval(days => $2), $3
     FROM complimentary_access WHERE user_id = $1 AND revoked_at IS NULL AND until > now()`,
    [id, days, why],
  );
  return planOf(sql, id);
}

/**
 * Ends complimentary access now: data requests get 402 and open streams end at their next check. A paid
 * subscription is Stripe's to end, not this command's.
 */
export async function revokeAccess(sql: Sql, email: unknown): Promise<Plan> {
  const id = await accountId(sql, email);
  await sql.query(
    'UPDATE complimentary_access SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
    [id],
  );
  return planOf(sql, id);
}
