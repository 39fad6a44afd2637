import type Koa from 'koa';
import { BadRequest } from '../lib/query/bad-request.js';
import { asClientError } from '../actors/runtime/client-error.js';

/** When a client is told to try again after a service did not answer (in time). */
const UNAVAILABLE_RETRY_SECONDS = 5;

interface ErrorLogger {
  error(o: object): void;
}

/** A Moleculer validation error from the query actor carries the parameter's name in its data. */
function badParameter(err: unknown): { parameter: string; message: string } | null {
  if (err instanceof BadRequest) return { parameter: err.parameter, message: err.message };
  const e = err as { type?: unknown; data?: { parameter?: unknown }; message?: unknown } | null;
  if (e?.type === 'BAD_PARAMETER' && typeof e.data?.parameter === 'string' && typeof e.message === 'string') {
    return { parameter: e.data.parameter, message: e.message };
  }
  return null;
}

/**
 * Every error becomes a JSON answer. A bad parameter is a 400 that names it; an actor's client error
 * (401, 402, 429, 503 QUERY_TIMEOUT…) keeps its status; anything else is logged once and answered 500, or
 * 503 with Retry-After when a service did not answer (in time), without internals.
 */
export function jsonErrors(logger: ErrorLogger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: 'not found' };
      }
      // The routers answer a method a path does not take with 405 and one no router knows (TRACE,
      // PROPFIND…) with 501, both as text: one answer, in JSON, for both, with the router's Allow. A 501
      // allowing nothing is a path no route has: not found, whatever the method.
      if ((ctx.status === 405 || ctx.status === 501) && ctx.body === undefined) {
        if (ctx.response.get('Allow') === '') {
          ctx.remove('Allow');
          ctx.status = 404;
          ctx.body = { error: 'not found' };
        } else {
          ctx.status = 405;
          ctx.body = { error: `${ctx.method} is not allowed here`, code: 'METHOD_NOT_ALLOWED' };
        }
      }
    } catch (err) {
      const bad = badParameter(err);
      if (bad) {
        ctx.status = 400;
        ctx.body = { error: bad.message, parameter: bad.parameter };
        return;
      }
      const client = asClientError(err);
      if (client) {
        ctx.status = client.status;
        ctx.body = { error: client.message, code: client.type, ...client.data };
        if ((client.status === 429 || client.status === 503) && typeof client.data.retryAfter === 'number')
          ctx.set('Retry-After', String(client.data.retryAfter));
        return;
      }
      const http = err as { status?: unknown; expose?: unknown; message?: unknown };
      if (
        typeof http.status === 'number' &&
        http.status >= 400 &&
        http.status < 500 &&
        http.expose === true
      ) {
        // Koa's own 4xx (a body that is not JSON, or too large): the client's mistake, said plainly.
        ctx.status = http.status;
        ctx.body = { error: String(http.message), code: 'BAD_REQUEST' };
        return;
      }
      const e = err as { code?: unknown; name?: unknown; message?: unknown };
      const unavailable =
        e.name === 'ServiceNotFoundError' || e.name === 'RequestTimeoutError' || e.code === 503;
      ctx.status = unavailable ? 503 : 500;
      ctx.body = {
        error: unavailable ? 'a service is not available; try again shortly' : 'internal error',
      };
      if (unavailable) ctx.set('Retry-After', String(UNAVAILABLE_RETRY_SECONDS));
      logger.error({
        event: 'request_failed',
        method: ctx.method,
        path: ctx.path,
        error: String(e.message ?? err),
        status: ctx.status,
      });
    }
  };
}
