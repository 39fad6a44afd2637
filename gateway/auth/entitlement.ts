import type Koa from 'koa';
import { clientError } from '../../actors/runtime/client-error.js';
import type { IdentityCache } from './identity-cache.js';
import type { SessionLimit } from '../live/live-updates.js';
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

interface Watched {
  /** How each stream watching these credentials is ended. */
  streams: Set<(reason: string) => void>;
  timers: NodeJS.Timeout[];
}

/**
 * Ends open streams when their access ends: at the end of the paid period, or at the first recheck
 * that finds the session gone, the token revoked or the plan ended (cancelled, refunded, revoked by an
 * operator). Streams opened with the same session or token share one watch, so ten thousand dashboards
 * of one subscriber cost one recheck per interval, not ten thousand.
 */
export class AccessWatch {
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly identities: IdentityCache,
    private readonly recheckMs: number,
  ) {}

  /** The limit of this request's stream: it ends the stream when the request's access ends. */
  watch(ctx: Koa.Context): SessionLimit {
    const auth = userOf(ctx);
    const key = JSON.stringify(auth.credentials);
    return (end) => {
      let watched = this.watched.get(key);
      if (!watched) {
        const created: Watched = { streams: new Set(), timers: [] };
        const recheck = async () => {
          try {
            const now = await this.identities.identify(auth.credentials);
            if (!now) this.end(key, created, 'signed_out');
            else if (!now.plan.entitled) this.end(key, created, 'plan_expired');
          } catch {
            // Accounts unreachable for a moment: streams keep going until a check can decide.
          }
        };
        const left = auth.plan.paidUntil ? new Date(auth.plan.paidUntil).getTime() - Date.now() : Infinity;
        if (left < MAX_TIMER_MS)
          created.timers.push(setTimeout(() => void recheck(), Math.max(0, left) + 1000));
        created.timers.push(setInterval(() => void recheck(), this.recheckMs));
        for (const t of created.timers) t.unref();
        this.watched.set(key, created);
        watched = created;
      }
      const entry = watched;
      entry.streams.add(end);
      return () => {
        entry.streams.delete(end);
        if (entry.streams.size === 0) this.end(key, entry);
      };
    };
  }

  private end(key: string, watched: Watched, reason?: string): void {
    for (const t of watched.timers) clearTimeout(t);
    if (this.watched.get(key) === watched) this.watched.delete(key);
    if (reason) for (const end of [...watched.streams]) end(reason);
  }
}
