import type Koa from 'koa';
import type { Identity } from '../../lib/accounts/account-flows.js';
import { clientError } from '../../actors/runtime/client-error.js';

/** Who made a request, as the identify middleware found it; absent for an anonymous request. */
export interface AuthState extends Identity {
  /** The session cookie's value, for sign-out and password change. */
  sessionId?: string;
  /** What identified the request, to ask again later whether it still holds. */
  credentials: { sessionId: string } | { token: string };
}

export function authOf(ctx: Koa.Context): AuthState | undefined {
  return (ctx.state as { auth?: AuthState }).auth;
}

/** The request's identity, or a 401 that tells a script how to authenticate. */
export function userOf(ctx: Koa.Context): AuthState {
  const auth = authOf(ctx);
  if (!auth) {
    ctx.set('WWW-Authenticate', 'Bearer realm="EnergyLive"');
    throw clientError(
      401,
      'UNAUTHENTICATED',
      'sign in, or send an API token as "Authorization: Bearer <token>"',
    );
  }
  return auth;
}

/** Only a browser session (not an API token) may manage the account itself. */
export function sessionOf(ctx: Koa.Context): AuthState & { sessionId: string } {
  const auth = userOf(ctx);
  if (auth.via !== 'session' || auth.sessionId === undefined)
    throw clientError(403, 'SESSION_REQUIRED', 'this needs a signed-in browser session, not an API token');
  return { ...auth, sessionId: auth.sessionId };
}
