import type Koa from 'koa';
import { clientError } from '../../actors/runtime/client-error.js';
import type { AccountsClient } from '../accounts-client.js';
import { userOf } from './auth-state.js';

/** The guard of every data route: 401 without a session or token, 402 without a running plan. */
export const requireEntitlement: Koa.Middleware = async (ctx, next) => {
  const auth = userOf(ctx);
  if (!auth.plan.entitled)
    throw clientError(402, 'PAYMENT_REQUIRED', 'reading data needs a subscription', {
      plan: auth.plan,
    });
  await next();
};

/** Longest a timer may be set for in Node (about 24.8 days); a later end is reached by rechecks. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Aborts when the request's access ends: at the end of the paid period, or at the first recheck that
 * finds the session gone, the token revoked or the plan ended (cancelled, refunded, revoked by an
 * operator). Call the returned `stop` when the stream is over.
 */
export function watchAccess(
  ctx: Koa.Context,
  accounts: AccountsClient,
  recheckMs: number,
): { signal: AbortSignal; stop: () => void } {
  const auth = userOf(ctx);
  const controller = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  const end = (reason: string) => {
    controller.abort(reason);
  };
  if (auth.plan.paidUntil) {
    const left = new Date(auth.plan.paidUntil).getTime() - Date.now();
    if (left < MAX_TIMER_MS) timers.push(setTimeout(() => void recheck(), Math.max(0, left) + 1000));
  }
  timers.push(setInterval(() => void recheck(), recheckMs));
  async function recheck(): Promise<void> {
    try {
      const now = await accounts.identify(auth.credentials);
      if (!now) end('signed_out');
      else if (!now.plan.entitled) end('plan_expired');
    } catch {
      // Accounts unreachable for a moment: the stream keeps going until a check can decide.
    }
  }
  for (const t of timers) t.unref();
  return {
    signal: controller.signal,
    stop: () => {
      for (const t of timers) clearTimeout(t);
    },
  };
}
