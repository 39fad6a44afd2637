import type Koa from 'koa';
import { clientError } from '../../actors/runtime/client-error.js';
import type { IdentityCache } from './identity-cache.js';
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
  controller: AbortController;
  timers: NodeJS.Timeout[];
  streams: number;
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

  /** A signal that aborts when this request's access ends; call `stop` when its stream is over. */
  watch(ctx: Koa.Context): { signal: AbortSignal; stop: () => void } {
    const auth = userOf(ctx);
    const key = JSON.stringify(auth.credentials);
    let entry = this.watched.get(key);
    if (!entry) {
      const created: Watched = { controller: new AbortController(), timers: [], streams: 0 };
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
      entry = created;
    }
    const watched = entry;
    watched.streams++;
    let stopped = false;
    return {
      signal: watched.controller.signal,
      stop: () => {
        if (stopped) return;
        stopped = true;
        if (--watched.streams === 0) this.end(key, watched);
      },
    };
  }

  private end(key: string, watched: Watched, reason?: string): void {
    for (const t of watched.timers) clearTimeout(t);
    if (this.watched.get(key) === watched) this.watched.delete(key);
    if (reason) watched.controller.abort(reason);
  }

  /** Credentials watched now: what the recheck load is proportional to. */
  get size(): number {
    return this.watched.size;
  }
}
