import Koa from 'koa';
import type { Registry } from 'prom-client';
import { jsonErrors } from './http-errors.js';
import type { LiveUpdates } from './live/live-updates.js';
import type { QueryClient } from './query-client.js';
import { requestMetrics } from './request-metrics.js';
import { dataRoutes } from './routes/data-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import type { AccountsClient } from './accounts-client.js';
import { csrfProtection } from './auth/csrf.js';
import { AccessWatch, requireEntitlement } from './auth/entitlement.js';
import { identify } from './auth/identify.js';
import { IdentityCache } from './auth/identity-cache.js';
import { sessionCookie, type SessionCookie } from './auth/session-cookie.js';
import { authRoutes } from './routes/auth-routes.js';
import { billingRoutes } from './routes/billing-routes.js';
import type { BillingClient } from './billing-client.js';
import { authOf, sessionOf } from './auth/auth-state.js';
import { mountGoogleSignIn } from './routes/google-routes.js';
import { loadConfig, type GoogleConfig } from '../lib/config/env.js';
import { dashboardFiles } from './static/dashboard-files.js';
import { SubscriberLimits, type SubscriberLimitOptions } from './subscriber-limits.js';
import { securityHeaders } from './security-headers.js';

export interface GatewayOptions {
  query: QueryClient;
  live?: LiveUpdates;
  registry: Registry;
  ready: () => Promise<Record<string, boolean>>;
  logger: { error(o: object): void; warn(o: object): void };
  /**
   * Accounts turn on sign-in, sessions, API tokens and the plan check on every data route. Without them
   * (tests of the data routes alone) the data routes are open.
   */
  auth?: {
    accounts: AccountsClient;
    /** Recently checked identities; the gateway service forgets a user when the accounts actor says so. */
    identities?: IdentityCache;
    billing: BillingClient;
    publicUrl: string;
    /** How often an open stream asks whether its subscriber still has access. */
    accessRecheckMs: number;
    google: GoogleConfig;
    /** Signs the OAuth cookie. */
    secret: string;
  };
  /** Take the client's address from X-Forwarded-For: only behind a proxy that sets it. */
  trustProxy?: boolean;
  /** Per-subscriber limits of the data routes; default the configuration's defaults. */
  limits?: SubscriberLimitOptions;
  /** The built web app served at every path no route answers; default `dashboard/dist`. */
  dashboardDir?: string;
  /** Where browsers reach EnergyLive; an `https://` URL turns on HSTS. */
  publicUrl?: string;
}

const defaults = loadConfig({}).gateway;
const DEFAULT_LIMITS: SubscriberLimitOptions = {
  maxRequests: defaults.maxRequestsPerSubscriber,
  maxStreams: defaults.maxStreamsPerSubscriber,
};

/** Paths that authenticate themselves (a signature) instead of a session: no CSRF token applies. */
const CSRF_EXEMPT = ['/api/v1/billing/webhook'];
/**
 * Paths a browser posts to before it has a session, or to replace it: a stale page's token would
 * otherwise lock a user out of signing in again; the origin check still applies.
 */
const BEFORE_SESSION = [
  '/api/v1/auth/signup',
  '/api/v1/auth/signup/confirm',
  '/api/v1/auth/login',
  '/api/v1/auth/reset',
  '/api/v1/auth/reset/confirm',
];

/** The Koa application: JSON errors around everything, request metrics, ops routes, data routes. */
export function createGatewayApp(options: GatewayOptions): Koa {
  const app = new Koa();
  app.proxy = options.trustProxy ?? false;
  // Errors are answered and logged by jsonErrors; Koa's default handler would print a stack per error.
  app.silent = true;
  app.use(securityHeaders({ https: options.publicUrl?.startsWith('https://') ?? false }));
  app.use(jsonErrors(options.logger));
  app.use(requestMetrics(options.registry));
  const ops = opsRoutes({ ready: options.ready });
  app.use(ops.routes()).use(ops.allowedMethods());
  const auth = options.auth;
  const identities = auth ? (auth.identities ?? new IdentityCache(auth.accounts)) : undefined;
  const cookie = auth ? sessionCookie(auth.publicUrl) : undefined;
  if (auth && identities && cookie) {
    app.use(identify(identities, cookie));
    app.use(
      csrfProtection({ publicUrl: auth.publicUrl, exempt: CSRF_EXEMPT, beforeSession: BEFORE_SESSION }),
    );
  }
  const access = auth && identities ? new AccessWatch(identities, auth.accessRecheckMs) : undefined;
  const data = dataRoutes({
    query: options.query,
    limits: new SubscriberLimits(options.limits ?? DEFAULT_LIMITS),
    ...(options.live ? { live: options.live } : {}),
    ...(access
      ? { authenticate: requireEntitlement, watchAccess: (ctx: Koa.Context) => access.watch(ctx) }
      : {}),
  });
  // Data routes before the account routes: an open stream holds a frame of every middleware it passed
  // through, for hours, so the fewer it passes the less each of thousands of sessions costs.
  app.use(data.routes()).use(data.allowedMethods());
  if (auth && identities && cookie) mountAccountRoutes(app, auth, identities, cookie, options.logger);
  // Last: a path no API route answered may be a page of the web app.
  app.use(dashboardFiles({ root: options.dashboardDir }));
  return app;
}

/** Billing, own accounts and Google sign-in. */
function mountAccountRoutes(
  app: Koa,
  auth: NonNullable<GatewayOptions['auth']>,
  identities: IdentityCache,
  cookie: SessionCookie,
  logger: GatewayOptions['logger'],
): void {
  // Before any JSON body parser: the Stripe webhook's signature is over the raw body.
  const billing = billingRoutes({
    billing: auth.billing,
    requireSession: async (ctx, next) => {
      sessionOf(ctx);
      await next();
    },
  });
  app.use(billing.routes()).use(billing.allowedMethods());
  const account = authRoutes({ accounts: auth.accounts, cookie, identities });
  app.use(account.routes()).use(account.allowedMethods());
  mountGoogleSignIn(app, {
    google: auth.google,
    publicUrl: auth.publicUrl,
    secret: auth.secret,
    logger,
    signIn: async (ctx, identity) => {
      const signedIn = await auth.accounts.googleSignIn(identity);
      const previous = authOf(ctx);
      if (previous?.sessionId !== undefined) {
        await auth.accounts.logout({ sessionId: previous.sessionId });
        identities.forgetUser(previous.user.id);
      }
      cookie.set(ctx, signedIn.session.id, signedIn.session.maxAgeMs);
    },
  });
}
