import type Koa from 'koa';
import { clientError } from '../actors/runtime/client-error.js';
import { authOf } from './auth/auth-state.js';

export interface SubscriberLimitOptions {
  /** Data requests one subscriber may have in progress at once; 0: no limit. */
  maxRequests: number;
  /** Live streams one subscriber may hold open at once; 0: no limit. */
  maxStreams: number;
}

/** When a subscriber over a limit is told to try again: a request in progress usually ends by then. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Who a data request counts against: the signed-in user, whatever session or token it came with. Without
 * accounts (a gateway of the data routes alone) the client's address stands for the subscriber, so one
 * client still cannot crowd out the others.
 */
function subscriberOf(ctx: Koa.Context): string {
  const auth = authOf(ctx);
  return auth ? `user:${auth.user.id}` : `address:${ctx.ip}`;
}

/**
 * Per-subscriber limits of one gateway: how many data requests are in progress (until the answer is sent,
 * so a client that reads slowly holds its slot) and how many streams are open. Every query of the
 * process waits behind the ones before it, so without them one subscriber could queue everyone else
 * behind dozens of requests.
 */
export class SubscriberLimits {
  private readonly requests = new Map<string, number>();
  private readonly streams = new Map<string, number>();

  constructor(private readonly options: SubscriberLimitOptions) {}

  /** Middleware after the sign-in check: a request beyond the subscriber's limit is answered 429. */
  readonly request: Koa.Middleware = async (ctx, next) => {
    const release = this.take(this.requests, subscriberOf(ctx), this.options.maxRequests, () =>
      clientError(
        429,
        'TOO_MANY_REQUESTS',
        `at most ${String(this.options.maxRequests)} data requests of one subscriber at a time; wait for one to finish`,
        { retryAfter: RETRY_AFTER_SECONDS },
      ),
    );
    // `close` comes once the answer is sent or the client went away, whatever the body.
    ctx.res.once('close', release);
    try {
      await next();
    } catch (err) {
      release();
      throw err;
    }
  };

  /** Runs a stream, counted for its subscriber until it ends; beyond the limit it is refused with 429. */
  async stream(ctx: Koa.Context, serve: () => Promise<void>): Promise<void> {
    const release = this.take(this.streams, subscriberOf(ctx), this.options.maxStreams, () =>
      clientError(
        429,
        'TOO_MANY_STREAMS',
        `at most ${String(this.options.maxStreams)} open streams per subscriber; close one first`,
        { retryAfter: RETRY_AFTER_SECONDS },
      ),
    );
    try {
      await serve();
    } finally {
      release();
    }
  }

  /** Counts one more for `key`, or throws `refusal()` at the limit; returns how to give it back, once. */
  private take(counts: Map<string, number>, key: string, limit: number, refusal: () => Error): () => void {
    const held = counts.get(key) ?? 0;
    if (limit > 0 && held >= limit) throw refusal();
    counts.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (counts.get(key) ?? 1) - 1;
      if (left > 0) counts.set(key, left);
      else counts.delete(key);
    };
  }
}
