import Router from '@koa/router';
import type Koa from 'koa';
import type { SignedIn } from '../../lib/accounts/account-flows.js';
import type { AccountsClient } from '../accounts-client.js';
import { authOf, sessionOf, userOf } from '../auth/auth-state.js';
import type { SessionCookie } from '../auth/session-cookie.js';
import type { IdentityCache } from '../auth/identity-cache.js';
import { bodyFields, jsonBody } from './json-body.js';

export interface AuthRouteOptions {
  accounts: AccountsClient;
  cookie: SessionCookie;
  /** Forgotten for a user whose sessions or tokens change here, so the change holds from the next request. */
  identities: IdentityCache;
}

/**
 * `/api/v1/auth/*` (own accounts), `/api/v1/me` and `/api/v1/tokens`. Every answer that signs a browser
 * in sets a new session cookie and returns the session's CSRF token for the page's scripts.
 */
export function authRoutes(options: AuthRouteOptions): Router {
  const { accounts, cookie, identities } = options;
  const router = new Router({ prefix: '/api/v1', sensitive: true });
  router.use(jsonBody());

  const signIn = async (ctx: Koa.Context, signedIn: SignedIn) => {
    // Whatever session the browser had before ends: the new id is the only one that works from now on.
    const previous = authOf(ctx);
    if (previous?.sessionId !== undefined) {
      await accounts.logout({ sessionId: previous.sessionId });
      identities.forgetUser(previous.user.id);
    }
    // A password reset ends every session of the account, wherever they were checked last.
    identities.forgetUser(signedIn.user.id);
    cookie.set(ctx, signedIn.session.id, signedIn.session.maxAgeMs);
    ctx.body = { user: signedIn.user, csrfToken: signedIn.session.csrfToken };
  };

  router.post('/auth/signup', async (ctx) => {
    const b = bodyFields(ctx, ['email', 'password']);
    ctx.status = 202;
    ctx.body = await accounts.signup({ email: b.email, password: b.password, ip: ctx.ip });
  });

  router.post('/auth/signup/confirm', async (ctx) => {
    await signIn(ctx, await accounts.confirmSignup({ token: bodyFields(ctx, ['token']).token }));
  });

  router.post('/auth/login', async (ctx) => {
    const b = bodyFields(ctx, ['email', 'password']);
    await signIn(ctx, await accounts.login({ email: b.email, password: b.password, ip: ctx.ip }));
  });

  router.post('/auth/logout', async (ctx) => {
    const auth = sessionOf(ctx);
    bodyFields(ctx, []);
    await accounts.logout({ sessionId: auth.sessionId });
    identities.forgetUser(auth.user.id);
    cookie.clear(ctx);
    ctx.body = { status: 'signed_out' };
  });

  router.post('/auth/password', async (ctx) => {
    const auth = sessionOf(ctx);
    const b = bodyFields(ctx, ['current', 'password']);
    identities.forgetUser(auth.user.id);
    const signedIn = await accounts.changePassword({
      userId: auth.user.id,
      current: b.current,
      password: b.password,
    });
    cookie.set(ctx, signedIn.session.id, signedIn.session.maxAgeMs);
    ctx.body = {
      user: signedIn.user,
      csrfToken: signedIn.session.csrfToken,
      tokensKept: signedIn.tokensKept,
    };
  });

  router.post('/auth/reset', async (ctx) => {
    const b = bodyFields(ctx, ['email']);
    ctx.status = 202;
    ctx.body = await accounts.requestReset({ email: b.email, ip: ctx.ip });
  });

  router.post('/auth/reset/confirm', async (ctx) => {
    const b = bodyFields(ctx, ['token', 'password']);
    await signIn(ctx, await accounts.confirmReset({ token: b.token, password: b.password, ip: ctx.ip }));
  });

  router.get('/me', async (ctx) => {
    const auth = userOf(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      ...(await accounts.me({ userId: auth.user.id })),
      ...(auth.csrfToken ? { csrfToken: auth.csrfToken } : {}),
    };
  });

  router.get('/tokens', async (ctx) => {
    ctx.body = { tokens: await accounts.listTokens({ userId: sessionOf(ctx).user.id }) };
  });

  router.post('/tokens', async (ctx) => {
    const auth = sessionOf(ctx);
    const created = await accounts.createToken({
      userId: auth.user.id,
      name: bodyFields(ctx, ['name']).name,
    });
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = created;
  });

  router.delete('/tokens', async (ctx) => {
    const auth = sessionOf(ctx);
    ctx.body = await accounts.revokeAllTokens({ userId: auth.user.id });
    identities.forgetUser(auth.user.id);
  });

  router.delete('/tokens/:id', async (ctx) => {
    const auth = sessionOf(ctx);
    ctx.body = await accounts.revokeToken({ userId: auth.user.id, id: ctx.params.id });
    identities.forgetUser(auth.user.id);
  });

  return router;
}
