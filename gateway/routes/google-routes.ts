import Router from '@koa/router';
import grant from 'grant';
import type Koa from 'koa';
import session from 'koa-session';
import { asClientError } from '../../actors/runtime/client-error.js';
import {
  discoverOpenIdProvider,
  GoogleIdentityError,
  verifyIdToken,
  type GoogleIdentity,
  type OpenIdProvider,
} from '../../lib/accounts/google-identity.js';
import type { GoogleConfig } from '../../lib/config/env.js';

/** Where the "Continue with Google" button points. */
export const GOOGLE_CONNECT_PATH = '/api/v1/auth/connect/google';
/** The redirect URI to register with Google, after the public base URL. */
export const GOOGLE_REDIRECT_PATH = `${GOOGLE_CONNECT_PATH}/callback`;
const CONNECT_PREFIX = '/api/v1/auth/connect';
const CALLBACK_PATH = '/api/v1/auth/google/callback';
const STATUS_PATH = '/api/v1/auth/google/status';
/** Long enough to pick an account and consent, short enough that a stale attempt cannot be resumed. */
const OAUTH_COOKIE_MAX_AGE_MS = 10 * 60_000;

export interface GoogleSignInOptions {
  google: GoogleConfig;
  /** The browser-facing base URL; Google redirects back to it. */
  publicUrl: string;
  /** Signs the short-lived cookie that carries state, nonce and PKCE verifier between the redirects. */
  secret: string;
  /** Opens the EnergyLive session for a verified identity; throws to refuse it. */
  signIn: (ctx: Koa.Context, identity: GoogleIdentity) => Promise<void>;
  logger: { warn(o: object): void };
}

/** What grant keeps in the OAuth cookie between the redirects. */
interface GrantSession {
  provider?: string;
  nonce?: string;
  response?: { id_token?: string; error?: unknown };
}

function grantSession(ctx: Koa.Context): GrantSession | undefined {
  return (ctx as unknown as { session: { grant?: GrantSession } | null }).session?.grant;
}

function clearOAuthCookie(ctx: Koa.Context): void {
  (ctx as unknown as { session: null }).session = null;
}

function grantHandler(
  provider: OpenIdProvider,
  options: GoogleSignInOptions & { google: { clientId: string; clientSecret: string } },
): Koa.Middleware {
  // grant is CommonJS typed as an ES default export; its `default` property is grant itself.
  return grant.default.koa({
    defaults: {
      origin: options.publicUrl,
      prefix: CONNECT_PREFIX,
      transport: 'session',
      state: true,
      nonce: true,
      pkce: true,
      response: ['tokens'],
    },
    // Endpoints from discovery rather than grant's built-in Google URLs, so a stand-in provider works.
    google: {
      authorize_url: provider.authorizationEndpoint,
      access_url: provider.tokenEndpoint,
      oauth: 2,
      scope_delimiter: ' ',
      key: options.google.clientId,
      secret: options.google.clientSecret,
      scope: ['openid', 'email', 'profile'],
      callback: CALLBACK_PATH,
    },
  }) as Koa.Middleware;
}

/**
 * "Continue with Google": grant runs the authorization code flow (state, nonce, PKCE) at
 * `GOOGLE_CONNECT_PATH`, then the callback here verifies the ID token on the server (grant only
 * decodes it) and hands the identity to `signIn`. Without a client id and secret only the status
 * route is mounted, and it says Google sign-in is unavailable.
 */
export function mountGoogleSignIn(app: Koa, options: GoogleSignInOptions): void {
  const { clientId, clientSecret, issuer } = options.google;
  const router = new Router({ sensitive: true });
  router.get(STATUS_PATH, (ctx) => {
    ctx.body =
      clientId && clientSecret ? { available: true, start: GOOGLE_CONNECT_PATH } : { available: false };
  });
  if (!clientId || !clientSecret) {
    app.use(router.routes()).use(router.allowedMethods());
    return;
  }
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const settings = { ...options, publicUrl, google: { clientId, clientSecret, issuer } };
  const https = new URL(publicUrl).protocol === 'https:';

  const fail = (ctx: Koa.Context, reason: string, detail: string): void => {
    options.logger.warn({ event: 'google_sign_in_failed', reason, detail });
    ctx.redirect('/signin?error=google');
  };

  app.keys = [options.secret];
  const oauthCookie = session(
    {
      key: https ? '__Host-energylive-oauth' : 'energylive-oauth',
      maxAge: OAUTH_COOKIE_MAX_AGE_MS,
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure: https,
    },
    app,
  );
  const oauthPaths = new Set([GOOGLE_CONNECT_PATH, GOOGLE_REDIRECT_PATH, CALLBACK_PATH]);
  app.use((ctx, next) => (oauthPaths.has(ctx.path) ? oauthCookie(ctx, next) : next()));

  let connect: Koa.Middleware | undefined;
  // Routes of the router rather than a middleware of their own, so a wrong method gets its 405 and Allow.
  const grantRoute: Koa.Middleware = async (ctx, next) => {
    // Without the cookie grant would fall back to redirecting to "/" with its error in the query.
    if (ctx.path === GOOGLE_REDIRECT_PATH && grantSession(ctx)?.provider !== 'google') {
      fail(ctx, 'no_oauth_session', 'callback without a sign-in in progress');
      return;
    }
    try {
      connect ??= grantHandler(await discoverOpenIdProvider(issuer), settings);
    } catch (err) {
      fail(ctx, 'discovery_failed', (err as Error).message);
      return;
    }
    await connect(ctx, next);
  };
  router.get(GOOGLE_CONNECT_PATH, grantRoute);
  router.get(GOOGLE_REDIRECT_PATH, grantRoute);

  router.get(CALLBACK_PATH, async (ctx) => {
    const oauth = grantSession(ctx);
    // One attempt per cookie: state, nonce and verifier must not serve a second callback.
    clearOAuthCookie(ctx);
    const response = oauth?.response;
    if (!response) {
      fail(ctx, 'no_oauth_session', 'callback without a completed authorization');
      return;
    }
    if (response.error !== undefined) {
      fail(ctx, 'provider_error', JSON.stringify(response.error));
      return;
    }
    if (!response.id_token) {
      fail(ctx, 'no_id_token', 'the token response carried no ID token');
      return;
    }
    let identity: GoogleIdentity;
    try {
      identity = await verifyIdToken(response.id_token, { issuer, clientId, nonce: oauth.nonce });
    } catch (err) {
      fail(
        ctx,
        err instanceof GoogleIdentityError ? err.reason : 'verification_failed',
        (err as Error).message,
      );
      return;
    }
    try {
      await options.signIn(ctx, identity);
    } catch (err) {
      fail(ctx, asClientError(err)?.type ?? 'sign_in_failed', (err as Error).message);
      return;
    }
    ctx.redirect('/app');
  });
  app.use(router.routes()).use(router.allowedMethods());
}
