import type { IncomingMessage } from 'node:http';
import Router from '@koa/router';
import type Koa from 'koa';
import { clientError } from '../../actors/runtime/client-error.js';
import type { BillingClient } from '../billing-client.js';

export interface BillingRouteOptions {
  billing: BillingClient;
  /**
   * Answers 401 without a signed-in user and 403 to an API token: a token reads data, while the
   * subscription is managed from a browser session. After it, `ctx.state.auth.user` is set.
   */
  requireSession: Koa.Middleware;
}

/** Stripe's events are a few kilobytes; anything near this is not Stripe. */
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const tooLarge = () =>
  clientError(413, 'PAYLOAD_TOO_LARGE', `webhook bodies are limited to ${WEBHOOK_BODY_LIMIT} bytes`);

/**
 * The request body as bytes, untouched: the webhook signature covers them exactly, so no body parser
 * may read the request first. Past the limit the rest is drained unread, so the 413 still reaches the sender.
 */
function rawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', collect);
      req.resume();
      reject(tooLarge());
    };
    req.on('data', collect);
    req.once('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.once('error', reject);
    req.once('close', () => {
      reject(new Error('the request closed before its body ended'));
    });
  });
}

const userOf = (ctx: Koa.Context) =>
  (ctx.state as { auth: { user: { id: string; email: string } } }).auth.user;

/** `/api/v1/billing`: plan availability, Checkout and portal for browser sessions, and Stripe's webhook. */
export function billingRoutes(options: BillingRouteOptions): Router {
  const { billing, requireSession } = options;
  const router = new Router({ prefix: '/api/v1/billing' });

  router.get('/status', async (ctx) => {
    ctx.body = await billing.status();
  });

  router.post('/checkout', requireSession, async (ctx) => {
    ctx.body = await billing.checkout(userOf(ctx));
  });

  router.post('/portal', requireSession, async (ctx) => {
    ctx.body = await billing.portal(userOf(ctx).id);
  });

  router.post('/webhook', async (ctx) => {
    const signature = ctx.get('stripe-signature');
    if (!signature) throw clientError(400, 'BAD_SIGNATURE', 'the Stripe-Signature header is missing');
    ctx.body = await billing.webhook(await rawBody(ctx.req, WEBHOOK_BODY_LIMIT), signature);
  });

  return router;
}
