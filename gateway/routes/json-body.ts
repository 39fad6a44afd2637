import { bodyParser } from '@koa/bodyparser';
import type Koa from 'koa';
import { clientError } from '../../actors/runtime/client-error.js';

/** Room for every field an account route takes, many times over; a sign-in is a few hundred bytes. */
export const JSON_BODY_LIMIT = 16 * 1024;

const tooLarge = () =>
  clientError(413, 'PAYLOAD_TOO_LARGE', `request bodies are limited to ${JSON_BODY_LIMIT} bytes`);

/**
 * Past a body's limit nothing more of it is read: the answer asks for the connection to close, so Node
 * ends the socket once the answer is out instead of draining whatever the client keeps sending.
 */
export function stopReading(ctx: Koa.Context): void {
  ctx.set('Connection', 'close');
}

/** Whether the request carries a body at all: a POST without one (a sign-out) is no wrong media type. */
function hasBody(ctx: Koa.Context): boolean {
  return ctx.get('transfer-encoding') !== '' || Number(ctx.get('content-length')) > 0;
}

/**
 * The JSON body parser of the account routes: 415 for a body that is not JSON, 413 past 16 kB (declared
 * or streamed), 400 for JSON that does not parse. Each route then takes its fields with `bodyFields`.
 */
export function jsonBody(): Koa.Middleware {
  const parse = bodyParser({
    enableTypes: ['json'],
    // Only reached with a JSON media type (or no body): the check below has refused the others.
    detectJSON: () => true,
    jsonLimit: JSON_BODY_LIMIT,
    encoding: 'utf-8',
    onError: (err, ctx) => {
      if ((err as { status?: unknown }).status === 413) {
        stopReading(ctx);
        throw tooLarge();
      }
      throw clientError(400, 'BAD_REQUEST', 'the body must be a JSON object');
    },
  });
  return async (ctx, next) => {
    if (hasBody(ctx) && ctx.request.is('application/json', '+json') === false)
      throw clientError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    await parse(ctx, next);
  };
}

/**
 * The body's fields, when it is a JSON object holding no field but `allowed` (an unknown one is a 400
 * naming it, not silently ignored); no body at all reads as `{}`. Their values are checked where they are
 * used, so every caller of the accounts actor gets the same checks.
 */
export function bodyFields(ctx: Koa.Context, allowed: readonly string[]): Record<string, unknown> {
  const parsed: unknown = ctx.request.body ?? {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw clientError(400, 'BAD_REQUEST', 'the body must be a JSON object');
  const unknown = Object.keys(parsed).find((field) => !allowed.includes(field));
  if (unknown !== undefined)
    throw clientError(
      400,
      'BAD_PARAMETER',
      allowed.length > 0
        ? `unknown field; this route takes ${allowed.join(', ')}`
        : 'unknown field; this route takes none',
      { parameter: unknown.slice(0, 100) },
    );
  return parsed as Record<string, unknown>;
}
