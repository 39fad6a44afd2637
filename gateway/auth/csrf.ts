import type Koa from 'koa';
import { clientError } from '../../actors/runtime/client-error.js';
import { csrfTokenMatches } from '../../lib/accounts/sessions.js';
import { authOf } from './auth-state.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Two checks on every state-changing request a browser could be tricked into sending. The browser's
 * Origin must be the configured public URL's (or its Fetch Metadata say same-origin), which also covers
 * sign-in and sign-up before any session exists; and a request riding on a session cookie must carry
 * that session's token in `X-CSRF-Token`, which another site cannot read. API tokens are not sent by
 * browsers on their own, so Bearer requests need neither.
 */
export function csrfProtection(options: {
  publicUrl: string;
  /** Paths that authenticate themselves (a signature): neither check applies. */
  exempt: readonly string[];
  /** Paths that sign a browser in or out of nothing yet (sign-in, sign-up, reset): the origin check only. */
  beforeSession: readonly string[];
}): Koa.Middleware {
  const publicOrigin = new URL(options.publicUrl).origin;
  const refuse = (why: string) => clientError(403, 'CSRF', `cross-site request refused: ${why}`);
  return async (ctx, next) => {
    if (SAFE.has(ctx.method) || options.exempt.includes(ctx.path)) {
      await next();
      return;
    }
    const auth = authOf(ctx);
    if (auth?.via === 'token') {
      await next();
      return;
    }
    const origin = ctx.get('Origin');
    if (origin) {
      // Only the configured public URL: the request's own Host (or X-Forwarded-Host) is the sender's to
      // choose, so a page on evil.example posting with `Host: evil.example` would otherwise match itself.
      if (origin !== publicOrigin) throw refuse(`origin ${origin} is not allowed`);
    } else {
      const site = ctx.get('Sec-Fetch-Site');
      if (site && site !== 'same-origin' && site !== 'none') throw refuse(`a ${site} request`);
    }
    if (
      auth?.via === 'session' &&
      !options.beforeSession.includes(ctx.path) &&
      !csrfTokenMatches(auth.csrfToken ?? '', ctx.get('X-CSRF-Token'))
    )
      throw refuse('missing or wrong X-CSRF-Token header');
    await next();
  };
}
