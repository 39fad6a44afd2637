import type { IncomingMessage } from 'node:http';
import Router from '@koa/router';
import type Koa from 'koa';
import { asClientError, clientError } from '../../actors/runtime/client-error.js';
import type { BillingClient } from '../billing-client.js';
import { bodyFields, jsonBody, stopReading } from './json-body.js';

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
 * may read the request first. Past the limit nothing more is read: the 413 closes the connection.
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
      req.pause();
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
  const router = new Router({ prefix: '/api/v1/billing', sensitive: true });

  router.get('/status', async (ctx) => {
    ctx.body = await billing.status();
  });

  router.post('/checkout', requireSession, jsonBody(), async (ctx) => {
    bodyFields(ctx, []);
    ctx.body = await billing.checkout(userOf(ctx));
  });

  router.post('/portal', requireSession, jsonBody(), async (ctx) => {
    bodyFields(ctx, []);
    ctx.body = await billing.portal(userOf(ctx).id);
  });

  router.post('/webhook', async (ctx) => {
    const signature = ctx.get('stripe-signature');
    if (!signature) throw clientError(400, 'BAD_SIGNATURE', 'the Stripe-Signature header is missing');
    const body = await rawBody(ctx.req, WEBHOOK_BODY_LIMIT).catch((err: unknown) => {
      if (asClientError(err)?.status === 413) stopReading(ctx);
      throw err;
    });
    ctx.body = await billing.webhook(body, signature);
  });

  return router;
}
