import type Koa from 'koa';

/** A year, as browsers and the preload list expect; subdomains are the operator's to decide, not ours. */
const HSTS = 'max-age=31536000';

export interface SecurityHeadersOptions {
  /** The public URL is https: browsers are meant to reach EnergyLive only over HTTPS. */
  https: boolean;
}

/**
 * Headers every answer carries, errors included. `nosniff`: a browser never reads a JSON or CSV answer
 * as a script or a page. HSTS when the deployment is HTTPS (the public URL says so) or the request came
 * over HTTPS as far as the gateway can tell (TLS, or `X-Forwarded-Proto` from a trusted proxy).
 * EnergyLive serves no TLS of its own, so behind a proxy that terminates it the public URL is what
 * tells; a browser ignores the header on an answer that reached it over plain HTTP (RFC 6797 §8.1), so
 * sending it there is harmless.
 *
 * Set once the routes are done, on answers not sent yet: an event stream writes its head itself
 * (`live/sse-session.ts`, with `nosniff`), and a header set on it beforehand would make Node keep every
 * header of it as an object for the stream's lifetime, 0.7 KiB for each of thousands of streams. Not
 * async either, so an open stream keeps no suspended frame of it.
 */
export function securityHeaders(options: SecurityHeadersOptions): Koa.Middleware {
  return (ctx, next) =>
    next().then(() => {
      if (ctx.res.headersSent) return;
      ctx.set('X-Content-Type-Options', 'nosniff');
      if (options.https || ctx.secure) ctx.set('Strict-Transport-Security', HSTS);
    });
}
