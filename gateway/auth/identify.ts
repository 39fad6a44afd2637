import type Koa from 'koa';
import { clientError } from '../../actors/runtime/client-error.js';
import type { IdentityCache } from './identity-cache.js';
import type { SessionCookie } from './session-cookie.js';

/**
 * Finds who an `/api/v1` request is: a Bearer API token, else the session cookie. A bad token is refused
 * at once (a script should know); a stale cookie is cleared and the request goes on anonymous.
 */
export function identify(identities: IdentityCache, cookie: SessionCookie): Koa.Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/v1/')) {
      await next();
      return;
    }
    const authorization = ctx.get('Authorization');
    if (authorization) {
      const bearer = /^Bearer +([A-Za-z0-9_-]{1,200})$/.exec(authorization);
      const token = bearer?.[1];
      const identity = token ? await identities.identify({ token }) : null;
      if (!token || !identity) {
        ctx.set('WWW-Authenticate', 'Bearer realm="EnergyLive", error="invalid_token"');
        throw clientError(401, 'INVALID_TOKEN', 'the API token is unknown or revoked');
      }
      ctx.state.auth = { ...identity, credentials: { token } };
      await next();
      return;
    }
    const sessionId = cookie.read(ctx);
    if (sessionId) {
      const identity = await identities.identify({ sessionId });
      if (identity) ctx.state.auth = { ...identity, sessionId, credentials: { sessionId } };
      else cookie.clear(ctx);
    }
    await next();
  };
}
